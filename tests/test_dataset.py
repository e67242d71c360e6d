"""`manage.py generate_dataset`: the benchmark dataset has the sizes asked for, the shape of a newsroom's
work, obeys every rule the app and the database enforce, shows on every page, and goes away with --reset
without touching anything else."""

import io
import itertools
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from claims import anchoring, roles
from claims.dataset import (
    DATASET_PASSWORD,
    DATASET_URL,
    HistoricalClaim,
    generated_claims,
    generated_users,
)
from claims.models import (
    Annotation,
    Claim,
    Claimant,
    ClaimEvent,
    Correction,
    EventField,
    Evidence,
    Source,
    Tag,
)
from claims.workflow import Status

from .conftest import logged_in_client
from .factories import AnnotationFactory, ClaimFactory, EvidenceFactory, TagFactory

SMALL = {"claims": 300, "sources": 60, "annotations": 1_000, "history": 3_000}


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_dataset", stdout=out, **{**SMALL, **options})
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def dataset(db, debug):
    generate()
    return list(generated_claims().select_related("source", "verdict"))


def table_counts() -> dict[str, int]:
    """Rows in every table of the app and in the users table."""
    counts = {model._meta.db_table: model.objects.count() for model in apps.get_app_config("claims").get_models()}
    return {**counts, "users": get_user_model().objects.count()}


def test_sizes_are_as_asked(dataset):
    claim_ids = [claim.pk for claim in dataset]
    assert len(dataset) == 300
    assert Source.objects.filter(url__startswith=DATASET_URL).count() == 60
    assert Annotation.objects.filter(claim__in=claim_ids).count() == 1_000
    timeline = ClaimEvent.objects.filter(claim__in=claim_ids).count()
    audit = HistoricalClaim.objects.filter(id__in=claim_ids).count()
    assert timeline + audit == 3_000
    assert 0.3 < timeline / (timeline + audit) < 0.6
    per_source = Counter(claim.source_id for claim in dataset)
    assert len(per_source) == 60 and max(per_source.values()) <= 15
    users = generated_users()
    assert users.filter(groups__name=roles.EDITOR).count() == 40
    assert users.filter(groups__name=roles.REVIEWER, is_staff=True).count() == 10
    assert all(user.check_password(DATASET_PASSWORD) for user in users)


def test_every_quote_is_its_source_text_at_its_offsets(dataset):
    placed = [claim for claim in dataset if not claim.is_orphaned]
    for claim in placed:
        assert claim.source.text[claim.quote_start : claim.quote_end] == claim.quote
        assert (claim.quote_prefix, claim.quote_suffix) == anchoring.context_around(
            claim.source.text, claim.quote_start, claim.quote_end
        )
    # Some sources have claims whose quotes overlap (one inside another, or running on).
    by_source = defaultdict(list)
    for claim in placed:
        by_source[claim.source_id].append((claim.quote_start, claim.quote_end))
    overlapping = [
        spans
        for spans in by_source.values()
        if any(a != b and a[0] < b[1] and b[0] < a[1] for a in spans for b in spans)
    ]
    assert overlapping


def test_orphans_point_into_the_text_before_its_correction(dataset):
    orphans = [claim for claim in dataset if claim.is_orphaned]
    assert orphans
    for claim in orphans:
        assert claim.quote not in claim.source.text
        first, corrected = claim.source.history.order_by("history_date", "history_id")
        assert first.text[claim.quote_start : claim.quote_end] == claim.quote
        assert (corrected.text, claim.source.version) == (claim.source.text, 2)
        last = claim.events.order_by("-at", "-id").first()
        assert (last.field, last.new_label) == (EventField.ANCHOR, "not found (orphaned)")


def test_every_row_passes_the_models_validation(dataset):
    """What SQLite does not check (lengths, choices, URLs, the models' clean()); the database itself
    checks the foreign keys, uniqueness and check constraints on both engines."""
    for model in [Claim, Source, Claimant, Tag, Annotation, Evidence, Correction]:
        relations = [field.name for field in model._meta.get_fields() if field.is_relation]
        for row in model.objects.all():
            if model is Claim:
                row.source = next(claim.source for claim in dataset if claim.source_id == row.source_id)
            row.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def test_statuses_verdicts_people_and_tags_are_distributed_like_a_newsroom(dataset):
    statuses = Counter(claim.status for claim in dataset)
    assert statuses == {
        Status.NEW: 75,
        Status.RESEARCHING: 90,
        Status.IN_REVIEW: 30,
        Status.PUBLISHED: 90,
        Status.NOT_CHECKWORTHY: 15,
    }
    verdicts = Counter(claim.verdict.key for claim in dataset if claim.verdict_id)
    assert verdicts["false"] + verdicts["mostly-false"] > 2 * (verdicts["true"] + verdicts["mostly-true"])
    assert 0.1 < sum(claim.assignee_id is None for claim in dataset) / 300 < 0.3
    load = sorted(Counter(claim.assignee_id for claim in dataset if claim.assignee_id).values(), reverse=True)
    assert load[0] > 3 * load[len(load) // 2]  # a few editors hold many claims
    assert all(
        claim.reviewer_id is None for claim in dataset if claim.status not in (Status.IN_REVIEW, Status.PUBLISHED)
    )
    tags = Counter(Claim.tags.through.objects.filter(claim__in=dataset).values_list("claim_id", flat=True))
    assert max(tags.values()) <= 4 and 0.5 < sum(tags.values()) / 300 < 2.5
    claimants = Counter(claim.claimant_id for claim in dataset if claim.claimant_id)
    assert claimants.most_common(1)[0][1] >= 5 * sorted(claimants.values())[len(claimants) // 2]


def test_claims_obey_the_workflow_rules(dataset):
    evidence = Counter(Evidence.objects.filter(claim__in=dataset).values_list("claim_id", flat=True))
    published = [claim for claim in dataset if claim.status == Status.PUBLISHED]
    for claim in published:
        assert claim.verdict_id and claim.rationale and evidence[claim.pk] >= 1
        assert claim.published_verdict_id and claim.published_at and claim.published_by_id
        assert claim.verdict_by_id != claim.published_by_id  # the two-person rule
        assert claim.version > 1
    for claim in dataset:
        if claim.status == Status.IN_REVIEW:
            assert claim.verdict_id and claim.rationale
        if claim.under_correction:
            assert claim.corrections.filter(published_at__isnull=True).count() == 1
    corrected = [claim for claim in published if claim.corrected_at]
    assert corrected
    for claim in corrected:
        correction = claim.corrections.filter(published_at__isnull=False).first()
        assert correction.published_by_id not in (None, correction.opened_by_id)
        assert correction.new_verdict_id == claim.published_verdict_id


def test_each_claim_has_a_timeline_leading_to_its_status_and_an_audit_row_per_version(dataset):
    events = defaultdict(list)
    for event in ClaimEvent.objects.filter(claim__in=dataset).order_by("at", "id"):
        events[event.claim_id].append(event)
    audit = dict(
        HistoricalClaim.objects.filter(id__in=[claim.pk for claim in dataset])
        .order_by()
        .values_list("id")
        .annotate(rows=Count("history_id"))
    )
    for claim in dataset:
        timeline = events[claim.pk]
        statuses = [event for event in timeline if event.field == EventField.STATUS]
        assert (statuses[0].old_value, statuses[0].new_value) == ("", Status.NEW)
        assert all(before.new_value == after.old_value for before, after in itertools.pairwise(statuses))
        assert statuses[-1].new_value == claim.status
        versions = [event.version for event in timeline]
        assert versions == sorted(versions) and versions[-1] == claim.version
        assert timeline[-1].at == claim.updated_at
        assert audit[claim.pk] == claim.version
    first_rows = HistoricalClaim.objects.filter(id__in=[claim.pk for claim in dataset], history_type="+")
    assert first_rows.count() == 300
    assert Annotation.history.filter(claim_id__in=[claim.pk for claim in dataset]).count() >= 1_000
    assert Evidence.history.filter(claim_id__in=[claim.pk for claim in dataset]).count() == sum(
        claim.evidence.count() for claim in dataset
    )


def test_the_desk_the_claim_pages_the_reader_and_the_admin_show_it(dataset, superuser):
    client = logged_in_client(superuser)
    assert client.get("/").status_code == 200
    assert client.get("/?status=published&sort=-updated").status_code == 200
    picks = [
        next(claim for claim in dataset if claim.corrected_at),
        next(claim for claim in dataset if claim.is_orphaned),
        next(claim for claim in dataset if claim.status == Status.IN_REVIEW),
        max(dataset, key=lambda claim: claim.version),
    ]
    for claim in picks:
        assert client.get(claim.get_absolute_url()).status_code == 200
        assert client.get(claim.source.get_absolute_url()).status_code == 200
        assert client.get(f"/admin/claims/claim/{claim.pk}/change/").status_code == 200
        assert client.get(f"/admin/claims/claim/{claim.pk}/history/").status_code == 200
    assert client.get("/admin/claims/claim/").status_code == 200
    assert client.get("/admin/claims/annotation/").status_code == 200
    assert client.get("/sources/").status_code == 200
    editor = logged_in_client(generated_users().get(username="editor001"))
    assert editor.get("/queue/").status_code == 200
    assert client.login(username="reviewer001", password=DATASET_PASSWORD)


def test_the_app_adds_rows_after_it(dataset):
    """Ids were given by the generator: the sequences must have moved past them."""
    claim = ClaimFactory()
    AnnotationFactory(claim=claim)
    assert claim.pk > max(generated.pk for generated in dataset)
    assert TagFactory(name="after-the-dataset").pk


def test_if_missing_does_nothing_the_second_time(dataset):
    before = table_counts()
    assert "nothing to do" in generate(if_missing=True)
    assert table_counts() == before


def test_reset_removes_the_generated_data_and_nothing_else(db, debug):
    own = ClaimFactory(published=True, evidence=1, tags=[TagFactory(name="economy")])
    AnnotationFactory(claim=own)
    before = table_counts()
    generate()
    assert Claim.objects.get(pk=own.pk).tags.get().claims.count() > 1  # generated claims share the desk's tag
    cited = Source.objects.filter(url__startswith=DATASET_URL).first()
    EvidenceFactory(claim=own, source=cited, url="", added_by=None)  # the desk cites a generated source
    generate(claims=0, sources=0, annotations=0, history=0, reset=True)
    after = table_counts()
    after["claims_evidence"] -= 1
    after["claims_historicalevidence"] -= 1
    after["claims_source"] -= 1  # kept: the desk's evidence cites it
    after["claims_historicalsource"] -= Source.history.filter(id=cited.pk).count()
    assert after == before
    assert not generated_claims().exists() and not generated_users().exists()
    assert Claim.objects.get(pk=own.pk).annotations.count() == 1


def test_the_same_seed_gives_the_same_data(db, debug):
    def shape():
        claims = generated_claims().order_by("id")
        return [(claim.quote, claim.status, claim.verdict_id, claim.version) for claim in claims]

    generate(seed=7)
    first = shape()
    generate(seed=7, reset=True)
    assert shape() == first


def test_too_little_history_for_the_claims_is_refused(db, debug):
    with pytest.raises(CommandError, match="too few"):
        generate(history=100)
    assert not generated_claims().exists()


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        generate(claims=10, sources=5, annotations=10, history=200)
    assert not generated_users().exists()
    generate(claims=10, sources=5, annotations=10, history=200, force=True)
    assert generated_claims().count() == 10
