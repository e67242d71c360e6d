"""The demo data: every claim is anchored to its seed article, the claims cover every
number and date the articles state, the work shown is consistent with the workflow,
and `load_demo` loads it only with DEBUG on and never over existing work."""

import json
import re
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from claims import workflow
from claims.anchoring import context_around
from claims.demo import DEMO_PASSWORD, create_demo_users
from claims.models import (
    Annotation,
    Claim,
    Claimant,
    ClaimEvent,
    Evidence,
    Rating,
    Source,
    SourceKind,
    Tag,
)
from claims.workflow import Status

from .factories import ClaimFactory

FIXTURE = django_settings.BASE_DIR / "fixtures" / "demo.json"
SEEDS = django_settings.BASE_DIR.parent / "shared" / "seeds"
KHOVAEV_TITLE = "Russia eyes closer military cooperation with PH, says Russian ambassador"
KLIMOV_TITLE = "Russian senator visits Manila to lay foundation for renewed ties"
DEBRIS = ["enablePagination", "maxItemsPerPage", "maxPaginationLinks"]

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# Figures, calendar words and durations written out ("four-day visit").
NUMBER_OR_DATE = re.compile(
    rf"\d+(?:[.,]\d+)*|\b(?:{MONTHS}|{WEEKDAYS})\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)-day\b"
)


def fixture_claim_count() -> int:
    return sum(1 for item in json.loads(FIXTURE.read_text(encoding="utf-8")) if item["model"] == "claims.claim")


@pytest.fixture
def demo(db, settings):
    """The demo users and the fixture, loaded the way `load_demo` does, with DEBUG off again after."""
    settings.DEBUG = True
    create_demo_users()
    settings.DEBUG = False
    call_command("loaddata", str(FIXTURE), verbosity=0)


def claim_quoting(fragment: str) -> Claim:
    return Claim.objects.select_related("source", "claimant").get(quote__contains=fragment)


def status_events(claim: Claim) -> list[ClaimEvent]:
    return list(claim.events.filter(field="status").order_by("at", "id"))


def test_every_claim_is_anchored_to_its_source(demo):
    claims = list(Claim.objects.select_related("source"))
    assert claims
    for claim in claims:
        text = claim.source.text
        assert text[claim.quote_start : claim.quote_end] == claim.quote, claim.summary
        assert (claim.quote_prefix, claim.quote_suffix) == context_around(text, claim.quote_start, claim.quote_end)
        claim.full_clean()


def test_every_object_in_the_fixture_is_valid(demo):
    for model in [Source, Claimant, Tag, Evidence, Annotation, ClaimEvent]:
        for obj in model.objects.all():
            obj.full_clean()
    assert all(tag.name == tag.name.strip().lower() for tag in Tag.objects.all())


def test_both_seed_articles_are_there_cleaned_as_documented(demo):
    assert Claim.objects.count() >= 25
    khovaev = Source.objects.get(title=KHOVAEV_TITLE)
    klimov = Source.objects.get(title=KLIMOV_TITLE)
    for source in [khovaev, klimov]:
        assert source.outlet == "CNN Philippines"
        assert source.kind == SourceKind.NEWS_ARTICLE
        assert source.published_on is None
        assert source.claims.count() >= 10

    assert not any(debris in khovaev.text for debris in DEBRIS)
    assert khovaev.text.startswith(f"{KHOVAEV_TITLE}\n\nMetro Manila (CNN Philippines) — Stronger")
    assert "CNN Phiilppines" in khovaev.text
    assert "Mabuhay kayo!…I hope" in khovaev.text
    assert not khovaev.text.endswith("\n")

    assert klimov.text.startswith("\nMetro Manila (CNN Philippines) — A Russian senator")
    assert "“very open and very fruitful.”" in klimov.text
    assert "Russia’s Senate Committee" in klimov.text
    assert klimov.text.endswith("\n\n\n") and klimov.text.rstrip("\n").endswith("other countries.")


@pytest.mark.parametrize(
    "fragments, claimant, kind",
    [
        (["foreign direct investment", "since 1999"], "Bangko Sentral ng Pilipinas", "statistic"),
        (["$43 million", "0.2 percent", "$26.9 billion"], "CNN Philippines", "statistic"),
        (["Mutual Defense Treaty signed in 1951"], "CNN Philippines", "history"),
        (["four-day goodwill visit", "in 2012"], "CNN Philippines", "history"),
        (["press conference on January 5", "ready to supply small arms"], "Igor Khovaev", "quotation"),
        (["APEC Leaders' Meeting in Peru in November last year"], "CNN Philippines", "event"),
        (["visit to Russia in May"], "Igor Khovaev", "promise"),
        (["finalized in May"], "CNN Philippines", "prediction"),
        (["Russian warships visited the Philippines in January"], "CNN Philippines", "event"),
        (["Earlier this month", "Admiral Tributs"], "CNN Philippines", "event"),
        (["two-day visit"], "CNN Philippines", "event"),
        (["We have no military alliance in the Asia Pacific region"], "Igor Khovaev", "quotation"),
        (["very concrete technologies"], "Andrey Klimov", "promise"),
        (["ready to sell it based on international law"], "Andrey Klimov", "promise"),
        (["Cambodia, Laos and Vietnam"], "Andrey Klimov", "other"),
        (["“against the world.”"], "Rodrigo Duterte", "quotation"),
        (["show of force against the United States"], "Rodrigo Duterte", "quotation"),
        (["“rebalance”"], "Rodrigo Duterte", "quotation"),
        (["Mabuhay kayo!…"], "Rodrigo Duterte", "quotation"),
        (["Defense officials have also said"], "Philippine defense officials", "quotation"),
    ],
)
def test_named_claims_have_their_claimant_and_kind(demo, fragments, claimant, kind):
    claim = claim_quoting(fragments[0])
    assert all(fragment in claim.quote for fragment in fragments)
    assert claim.claimant.name == claimant
    assert claim.kind == kind


def test_the_may_visit_is_claimed_in_both_articles(demo):
    assert claim_quoting("visit to Russia in May").source.title == KHOVAEV_TITLE
    assert claim_quoting("finalized in May").source.title == KLIMOV_TITLE


@pytest.mark.parametrize("name", ["Igor Khovaev", "Andrey Klimov", "Rodrigo Duterte"])
def test_each_speaker_has_attributed_claims(demo, name):
    assert Claimant.objects.get(name=name).claims.filter(kind="quotation").exists()


def test_every_number_and_date_in_the_articles_is_inside_a_claim(demo):
    articles = Source.objects.filter(kind=SourceKind.NEWS_ARTICLE)
    assert articles.count() == 2
    for source in articles:
        spans = list(source.claims.values_list("quote_start", "quote_end"))
        tokens = list(NUMBER_OR_DATE.finditer(source.text))
        assert tokens
        unclaimed = [
            token.group()
            for token in tokens
            if not any(start <= token.start() and token.end() <= end for start, end in spans)
        ]
        assert unclaimed == [], source.title


def test_claims_that_moved_have_the_history_that_got_them_there(demo):
    moved = Claim.objects.exclude(status=Status.NEW)
    assert moved.count() >= 8
    for claim in Claim.objects.all():
        events = status_events(claim)
        if claim.status == Status.NEW:
            assert events == [], claim.summary
            continue
        assert events[0].old_value == Status.NEW
        assert events[-1].new_value == claim.status
        for before, after in zip(events, events[1:], strict=False):
            assert after.old_value == before.new_value
        for event in events:
            assert workflow.find_transition(event.old_value, event.new_value), claim.summary
            assert (event.old_label, event.new_label) == (Status(event.old_value).label, Status(event.new_value).label)
        history = list(claim.events.order_by("at", "id"))
        assert claim.created_at <= history[0].at
        assert history[-1].at == claim.updated_at


def test_verdicts_are_set_before_review_and_recorded(demo):
    for claim in Claim.objects.filter(status__in=[Status.IN_REVIEW, Status.PUBLISHED]):
        assert claim.verdict is not None and claim.rationale, claim.summary
        verdicts = list(claim.events.filter(field="verdict").order_by("at", "id"))
        assert verdicts[-1].new_value == claim.verdict.key
        assert verdicts[-1].new_label == claim.verdict.label
        assert verdicts[-1].note == claim.rationale
        sent_to_review = claim.events.get(field="status", new_value=Status.IN_REVIEW)
        assert verdicts[-1].at < sent_to_review.at
    for claim in Claim.objects.exclude(verdict=None):
        assert claim.events.filter(field="verdict", new_value=claim.verdict.key).exists()


def test_assignees_match_their_history(demo):
    for claim in Claim.objects.exclude(assignee=None):
        last = claim.events.filter(field="assignee").order_by("at", "id").last()
        assert last.new_value == claim.assignee.username


def test_the_desk_shows_work_in_progress(demo):
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)

    treaty = claim_quoting("Mutual Defense Treaty signed in 1951")
    assert treaty.status == Status.PUBLISHED
    assert treaty.verdict == Rating.objects.get(key="true")
    assert "30 August 1951" in treaty.rationale
    assert status_events(treaty)[-1].actor.username == "reviewer"

    fdi = claim_quoting("since 1999")
    assert fdi.status == Status.RESEARCHING
    assert fdi.assignee.username == "editor"
    assert fdi.verdict is None

    remittances = claim_quoting("$43 million")
    assert remittances.status == Status.IN_REVIEW
    assert "0.16" in remittances.rationale


def test_official_statistics_and_notes_back_the_checks(demo):
    for fragment in ["since 1999", "$43 million"]:
        claim = claim_quoting(fragment)
        assert claim.evidence.filter(source__kind=SourceKind.OFFICIAL_STATISTICS).exists()
        assert claim.annotations.exists()
    assert claim_quoting("Mutual Defense Treaty signed in 1951").evidence.exists()
    assert Annotation.objects.count() >= 3
    assert set(Annotation.objects.values_list("author__username", flat=True)) <= {"editor", "reviewer"}


def test_the_stored_articles_match_the_seed_files(demo):
    if not SEEDS.is_dir():
        pytest.skip(f"No seed articles at {SEEDS}")
    khovaev_file = (SEEDS / "000_fa2cfc2c0d3a07cf.txt").read_text(encoding="utf-8")
    klimov_file = (SEEDS / "003_9cb9b02fa3b23b7a.txt").read_text(encoding="utf-8")
    without_debris = "".join(
        line for line in khovaev_file.splitlines(keepends=True) if not line.startswith(tuple(DEBRIS))
    ).replace(f"{KHOVAEV_TITLE}\n\n\n", f"{KHOVAEV_TITLE}\n\n", 1)
    assert Source.objects.get(title=KHOVAEV_TITLE).text == without_debris
    assert Source.objects.get(title=KLIMOV_TITLE).text == klimov_file


# load_demo


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_load_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        load_demo()
    assert not get_user_model().objects.exists()
    assert not Claim.objects.exists()


def test_load_demo_creates_users_who_can_log_in_with_their_roles(db, settings):
    settings.DEBUG = True
    output = load_demo()
    assert DEMO_PASSWORD in output
    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == {"viewer", "editor", "reviewer", "admin"}
    for username in users:
        assert Client().login(username=username, password=DEMO_PASSWORD), username
    for role in ["viewer", "editor", "reviewer"]:
        assert list(users[role].groups.values_list("name", flat=True)) == [role]
    assert users["reviewer"].is_staff and not users["reviewer"].is_superuser
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["editor"].is_staff

    assert Claim.objects.count() == fixture_claim_count()
    assert f"{Claim.objects.count()} claims" in output


def test_load_demo_leaves_existing_work_alone(db, settings):
    settings.DEBUG = True
    load_demo()
    claim = claim_quoting("since 1999")
    claim.summary = "An editor's rewording"
    claim.save()
    counts = [model.objects.count() for model in [Source, Claim, Evidence, Annotation, ClaimEvent]]

    output = load_demo()

    assert "already" in output
    assert Claim.objects.get(pk=claim.pk).summary == "An editor's rewording"
    assert [model.objects.count() for model in [Source, Claim, Evidence, Annotation, ClaimEvent]] == counts
    assert get_user_model().objects.count() == 4


def test_load_demo_does_not_load_over_a_desk_without_claims(db, settings):
    settings.DEBUG = True
    source = Source.objects.create(title="An editor's own source", text="Pasted text.")
    load_demo()
    assert not Claim.objects.exists()
    assert list(Source.objects.all()) == [source]


def test_load_demo_reset_restores_the_fixture(db, settings):
    settings.DEBUG = True
    load_demo()
    claim = claim_quoting("since 1999")
    original = claim.summary
    claim.summary = "An editor's rewording"
    claim.save()
    ClaimFactory()

    load_demo("--reset")

    assert Claim.objects.get(pk=claim.pk).summary == original
    assert Claim.objects.count() == fixture_claim_count()
    assert Source.objects.count() == len(
        [item for item in json.loads(FIXTURE.read_text(encoding="utf-8")) if item["model"] == "claims.source"]
    )


def test_demo_password_is_refused_outside_debug(db, settings):
    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    assert get_user_model().objects.filter(username="editor").exists()
    assert not Client().login(username="editor", password=DEMO_PASSWORD)
