"""One factory per model. Claims are always anchored: the factory writes the quote
into its source's text and stores the offsets where it landed."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from claims import anchoring
from claims.models import (
    Annotation,
    Claim,
    Claimant,
    ClaimantKind,
    ClaimEvent,
    ClaimKind,
    Evidence,
    Rating,
    Source,
    SourceKind,
    Stance,
    Tag,
)
from claims.workflow import Status

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    """A user; `UserFactory(role="editor")` puts them in that role's group
    (reviewers also get the admin site, as the demo reviewer does)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))
            if extracted == "reviewer":
                user.is_staff = True
                user.save(update_fields=["is_staff"])


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Faker("sentence", nb_words=6)
    outlet = factory.Faker("company")
    url = factory.Faker("url")
    kind = SourceKind.NEWS_ARTICLE
    published_on = factory.Faker("date_object")
    text = factory.Faker("paragraph", nb_sentences=8)


class ClaimantFactory(DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    kind = ClaimantKind.PERSON
    role = factory.Faker("job")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"topic-{n}")


class RatingFactory(DjangoModelFactory):
    """The default scale comes from a migration; this fetches its ratings by key."""

    class Meta:
        model = Rating
        django_get_or_create = ("key",)

    key = "false"
    label = factory.LazyAttribute(lambda rating: rating.key.replace("-", " ").capitalize())


def _source_with_quote(claim):
    before = "In a statement on Monday, officials said: "
    return SourceFactory(text=f"{before}{claim.quote} Critics disputed the figures.\n\nMore text follows here.")


def _place_quote(source, quote):
    """Offset of the quote in the source text, appending it to a given source that lacks it."""
    if quote not in source.text:
        source.text = f"{source.text}\n\n{quote}"
        source.save(update_fields=["text"])
    return source.text.index(quote)


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    class Params:
        researching = factory.Trait(status=Status.RESEARCHING)
        in_review = factory.Trait(
            status=Status.IN_REVIEW,
            verdict=factory.SubFactory(RatingFactory, key="mostly-true"),
            rationale="The figures match the central bank's tables.",
        )
        published = factory.Trait(
            status=Status.PUBLISHED,
            verdict=factory.SubFactory(RatingFactory, key="true"),
            rationale="The treaty text and signing date are on record.",
            published_verdict=factory.SelfAttribute("verdict"),
            published_rationale=factory.SelfAttribute("rationale"),
            published_at=factory.LazyFunction(timezone.now),
        )
        set_aside = factory.Trait(status=Status.NOT_CHECKWORTHY)

    summary = factory.Faker("sentence", nb_words=10)
    quote = factory.Sequence(lambda n: f"Exports grew by {n + 3} percent last year.")
    source = factory.LazyAttribute(_source_with_quote)
    quote_start = factory.LazyAttribute(lambda claim: _place_quote(claim.source, claim.quote))
    quote_end = factory.LazyAttribute(lambda claim: claim.quote_start + len(claim.quote))
    quote_prefix = factory.LazyAttribute(
        lambda claim: anchoring.context_around(claim.source.text, claim.quote_start, claim.quote_end)[0]
    )
    quote_suffix = factory.LazyAttribute(
        lambda claim: anchoring.context_around(claim.source.text, claim.quote_start, claim.quote_end)[1]
    )
    claimant = factory.SubFactory(ClaimantFactory)
    kind = ClaimKind.STATISTIC
    status = Status.NEW

    @factory.post_generation
    def tags(claim, create, extracted, **kwargs):
        if create and extracted:
            claim.tags.add(*extracted)

    @factory.post_generation
    def evidence(claim, create, extracted, **kwargs):
        """`evidence=2` gives the claim two pieces of evidence (publishing needs one)."""
        if create and extracted:
            Evidence.objects.bulk_create(
                Evidence(claim=claim, url=f"https://stats.example.org/table-{n}", stance=Stance.SUPPORTS)
                for n in range(int(extracted))
            )


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Faker("url")
    stance = Stance.SUPPORTS
    excerpt = factory.Faker("sentence")
    added_by = factory.SubFactory(UserFactory, role="editor")


class AnnotationFactory(DjangoModelFactory):
    class Meta:
        model = Annotation

    claim = factory.SubFactory(ClaimFactory)
    author = factory.SubFactory(UserFactory, role="editor")
    body = factory.Faker("paragraph")


class ClaimEventFactory(DjangoModelFactory):
    class Meta:
        model = ClaimEvent

    claim = factory.SubFactory(ClaimFactory, researching=True)
    field = "status"
    old_value = Status.NEW
    new_value = Status.RESEARCHING
    old_label = Status.NEW.label
    new_label = Status.RESEARCHING.label
    actor = factory.SubFactory(UserFactory, role="editor")
