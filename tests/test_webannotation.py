"""Web Annotation export and import: the W3C suite's MUSTs, round trips, all or nothing, commands and pages."""

import json
from datetime import UTC
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from claims.audit import Origin
from claims.demo import create_demo_users
from claims.models import Claim, Claimant, ClaimantKind, ClaimEvent, ClaimKind, Evidence, Rating, Source, Tag
from claims.webannotation import (
    MEDIA_TYPE,
    AnnotationFileError,
    claim_to_annotation,
    export_annotations,
    import_annotations,
    read_annotations,
)
from claims.workflow import Status

from .conftest import HTMX, shown
from .factories import ClaimantFactory, ClaimFactory, SourceFactory, TagFactory, UserFactory

SUITE = Path(django_settings.BASE_DIR).parent / "shared" / "validators" / "web-annotation-tests"
DEMO_FIXTURE = Path(django_settings.BASE_DIR) / "fixtures" / "demo.json"
BASE = "https://desk.example.org"


# The W3C Web Annotation test suite, as a harness


@cache
def suite_registry() -> Registry:
    """Every shared definition, under the id the assertion schemas reference it by."""
    registry = Registry()
    for path in sorted((SUITE / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
    return registry


@cache
def suite_assertions(manifest: str) -> list[tuple[str, dict]]:
    """(path, schema) of every assertion a manifest (`annotations/*.test`) lists."""
    listed = json.loads((SUITE / "annotations" / manifest).read_text(encoding="utf-8"))["assertions"]
    return [(name, json.loads((SUITE / name).read_text(encoding="utf-8"))) for name in listed]


def unmet(annotation: dict, manifest: str) -> dict[str, str]:
    """The assertions of `manifest` the annotation does not meet (path → the suite's message), formats checked."""
    failures = {}
    for name, schema in suite_assertions(manifest):
        validator = Draft4Validator(schema, registry=suite_registry(), format_checker=Draft4Validator.FORMAT_CHECKER)
        if validator.is_valid(annotation) != (schema.get("expectedResult", "valid") == "valid"):
            failures[name] = schema.get("errorMessage", schema.get("title", ""))
    return failures


def must_failures(annotation: dict) -> dict[str, str]:
    """Unmet assertions whose failure fails an implementation ("onUnexpectedResult": "failAndContinue")."""
    failures = unmet(annotation, "annotationMusts.test")
    schemas = dict(suite_assertions("annotationMusts.test"))
    return {
        name: message for name, message in failures.items() if schemas[name]["onUnexpectedResult"] != "passAndContinue"
    }


def sample(kind: str, name: str) -> dict:
    return json.loads((SUITE / "tools" / "samples" / kind / name).read_text(encoding="utf-8"))


@pytest.fixture
def w3c():
    if not SUITE.is_dir():
        pytest.skip(f"The W3C Web Annotation test suite is not at {SUITE}.")


# A realistic desk


@pytest.fixture
def desk(db, editor, reviewer):
    """Claims in every state, with and without verdict, tags and claimant, on sources with and without a URL."""
    # Curly quotes, an em dash and characters outside the Basic Multilingual Plane: offsets count code points.
    article = SourceFactory(
        title="Ministry: exports up “sharply” — again",
        url="https://news.example.org/2026/exports-up",
        text="👍 Trade news. The minister said exports grew by 12 percent last year. Critics disagreed.\n\n"
        "“We have never been stronger,” she added — to applause.",
    )
    transcript = SourceFactory(
        title="Council meeting transcript",
        outlet="",
        url="",
        kind="transcript",
        published_on=None,
        text="CHAIR: The budget is balanced for the first time in 𝟏𝟎 years. MEMBER: That is not so.",
    )
    minister = ClaimantFactory(name="Ana Ruiz", kind=ClaimantKind.PERSON, role="Minister of Trade")
    council = ClaimantFactory(name="City Council", kind=ClaimantKind.ORGANISATION, role="")
    economy, trade = TagFactory(name="economy"), TagFactory(name="trade")
    claims = {
        "new": ClaimFactory(
            source=article,
            quote="exports grew by 12 percent last year",
            claimant=minister,
            tags=[economy, trade],
            summary="Exports grew 12% last year",
        ),
        "in_review": ClaimFactory(
            source=article,
            quote="“We have never been stronger,”",
            claimant=minister,
            kind=ClaimKind.QUOTATION,
            in_review=True,
            verdict_by=editor,
            assignee=editor,
            reviewer=reviewer,
            tags=[trade],
        ),
        "published": ClaimFactory(
            source=transcript,
            quote="The budget is balanced for the first time in 𝟏𝟎 years.",
            claimant=council,
            published=True,
            verdict_by=editor,
            published_by=reviewer,
            evidence=1,
        ),
        "no_claimant": ClaimFactory(source=transcript, quote="That is not so.", claimant=None, set_aside=True),
        "orphaned": ClaimFactory(source=article, quote="Critics disagreed.", claimant=None),
    }
    # The source's text was corrected and the quote could not be found again: it keeps its last quote and offsets.
    Source.objects.filter(pk=article.pk).update(text=article.text.replace("Critics disagreed.", "Critics protested."))
    Claim.objects.filter(pk=claims["orphaned"].pk).update(orphaned_at=timezone.now())
    return {name: Claim.objects.get(pk=claim.pk) for name, claim in claims.items()}


def exported(claims=None, base_url=BASE) -> list[dict]:
    """An export as a file carries it: through JSON and back."""
    claims = claims if claims is not None else Claim.objects.order_by("source_id", "quote_start", "id")
    return json.loads(json.dumps(export_annotations(claims, base_url=base_url)))


def wipe_desk():
    """An empty desk: claims (with their evidence, notes and history), sources, claimants and tags."""
    Claim.objects.all().delete()
    for model in [Evidence, Source, Claimant, Tag]:
        model.objects.all().delete()


def snapshot() -> list[tuple]:
    """Everything about each claim a round trip must keep, claims in the order of their sources' text."""
    claims = Claim.objects.select_related(
        "source", "claimant", "verdict", "published_verdict", "assignee", "reviewer", "verdict_by", "published_by"
    ).prefetch_related("tags")
    rows = []
    for claim in claims:
        source, claimant = claim.source, claim.claimant
        rows.append(
            (
                (source.title, source.outlet, source.url, source.kind, source.published_on, source.text),
                (claim.quote_start, claim.quote_end, claim.quote, claim.quote_prefix, claim.quote_suffix),
                (claim.summary, claim.kind, claim.status, claim.rationale, claim.published_rationale),
                (claimant.name, claimant.kind, claimant.role) if claimant else None,
                sorted(tag.name for tag in claim.tags.all()),
                tuple(getattr(rating, "key", None) for rating in (claim.verdict, claim.published_verdict)),
                tuple(
                    person.username if person else None
                    for person in (claim.assignee, claim.reviewer, claim.verdict_by, claim.published_by)
                ),
                (claim.created_at, claim.updated_at, claim.published_at, claim.corrected_at),
            )
        )
    return sorted(rows, key=lambda row: (row[0][0], row[1][0]))


# (a) Every export meets the W3C suite


def test_the_harness_passes_the_suites_quote_and_position_samples(w3c):
    for name in ["anno26.json", "anno27.json"]:
        assert must_failures(sample("correct", name)) == {}, name


def test_the_harness_fails_the_suites_incorrect_samples(w3c):
    assert "annotations/3.1-annotationContextValidated.json" in must_failures(sample("incorrect", "anno3.json"))
    # "id": "not a uri" fails only if formats are checked.
    assert list(must_failures(sample("incorrect", "anno6.json"))) == ["annotations/3.1-annotationIdValidated.json"]
    selectorless = must_failures(sample("incorrect", "anno38.json"))
    assert "annotations/specificResource/4.2-selectorValidIfPresent.json" in selectorless


def test_the_harness_checks_dates_and_times(w3c):
    annotation = {**sample("correct", "anno26.json"), "created": "yesterday"}
    assert list(must_failures(annotation)) == ["annotations/3.3.1-annotationCreatedValidated.json"]


def test_every_exported_annotation_meets_every_must_assertion(w3c, desk):
    annotations = exported() + [claim_to_annotation(desk["new"])]
    assert len(annotations) == len(desk) + 1
    for annotation in annotations:
        assert must_failures(annotation) == {}, annotation["id"]


def test_optional_assertions_are_reported_and_those_claimdesk_implements_are_met(w3c, desk, record_property):
    implemented = [
        "annotations/3.1-bodyKeyFound.json",
        "annotations/3.3.1-annotationCreatedImplemented.json",
        "annotations/3.3.1-annotationModifiedImplemented.json",
        "annotations/3.3.5-annotationMotivationImplemented.json",
        "annotations/3.3.5-annotationSingleMotivationImplemented.json",
        "annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json",
        "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
        "annotations/bodiesTargets/4-targSpecificResource.json",
        "annotations/specificResource/4.2-selectorFound.json",
        "annotations/specificResource/4.2.4-textQuoteSelector.json",
        "annotations/specificResource/4.2.4-prefix.json",
        "annotations/specificResource/4.2.4-suffix.json",
        "annotations/specificResource/4.2.5-textPositionSelector.json",
    ]
    listed = dict(suite_assertions("annotationOptionals.test"))
    assert set(implemented) <= set(listed)
    for annotation in exported():
        missed = unmet(annotation, "annotationOptionals.test")
        # The suite passes these ("onUnexpectedResult": "passAndContinue"): they say what is not implemented.
        assert {listed[name]["onUnexpectedResult"] for name in missed} <= {"passAndContinue"}
        record_property(f"optional assertions not met by {annotation['id']}", sorted(missed))
        assert not missed.keys() & set(implemented), annotation["id"]


# The annotation's shape


def test_a_claim_becomes_an_annotation_of_its_source(desk):
    claim = desk["in_review"]
    annotation = claim_to_annotation(claim, base_url=BASE + "/")
    source = claim.source
    assert annotation["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["@context"][1]["claimdesk"] == "https://claimdesk.example/ns#"
    assert annotation["id"] == f"{BASE}/claims/{claim.pk}/"
    assert annotation["type"] == "Annotation"
    assert annotation["motivation"] == "assessing"
    assert annotation["created"] == claim.created_at.astimezone(UTC).isoformat()
    assert annotation["body"] == [
        {"type": "TextualBody", "purpose": "describing", "value": claim.summary, "format": "text/plain"},
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "value": f"Mostly true: {claim.rationale}",
            "format": "text/plain",
        },
        {"type": "TextualBody", "purpose": "tagging", "value": "trade", "format": "text/plain"},
    ]
    target = annotation["target"]
    assert target["source"]["id"] == source.url
    assert target["source"]["claimdesk:text"] == source.text
    assert target["source"]["claimdesk:title"] == source.title
    quote, position = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": claim.quote,
        "prefix": claim.quote_prefix,
        "suffix": claim.quote_suffix,
    }
    assert position == {"type": "TextPositionSelector", "start": claim.quote_start, "end": claim.quote_end}
    # Code points, as Python counts them: the 👍 before the quote is one.
    assert source.text[position["start"] : position["end"]] == quote["exact"]
    assert annotation["claimdesk:claimant"] == {
        "type": "Person",
        "name": "Ana Ruiz",
        "claimdesk:role": "Minister of Trade",
    }
    assert annotation["claimdesk:status"] == "in_review"
    assert annotation["claimdesk:verdict"] == "mostly-true"
    assert annotation["claimdesk:rationale"] == claim.rationale
    assert (annotation["claimdesk:assignee"], annotation["claimdesk:reviewer"]) == ("eddie", "rita")
    assert "claimdesk:orphaned" not in annotation


def test_a_source_without_a_url_is_identified_by_its_page_in_claimdesk(desk, settings):
    settings.CLAIMDESK_BASE_URL = "https://claims.newsroom.example"
    claim = desk["no_claimant"]
    annotation = claim_to_annotation(claim)
    assert annotation["id"] == f"https://claims.newsroom.example/claims/{claim.pk}/"
    source = annotation["target"]["source"]
    assert source["id"] == f"https://claims.newsroom.example/sources/{claim.source_id}/"
    assert "claimdesk:url" not in source
    assert annotation["motivation"] == "describing"
    assert [body["purpose"] for body in annotation["body"]] == ["describing"]
    assert "claimdesk:claimant" not in annotation


def test_an_orphaned_claim_keeps_its_last_quote_and_says_so(desk):
    claim = desk["orphaned"]
    annotation = claim_to_annotation(claim)
    assert annotation["claimdesk:orphaned"] == claim.orphaned_at.astimezone(UTC).isoformat()
    quote, position = annotation["target"]["selector"]
    assert (quote["exact"], position["start"], position["end"]) == (claim.quote, claim.quote_start, claim.quote_end)


def test_a_published_claim_carries_what_readers_see(desk):
    claim = desk["published"]
    annotation = claim_to_annotation(claim)
    assert annotation["claimdesk:publishedVerdict"] == "true"
    assert annotation["claimdesk:publishedRationale"] == claim.published_rationale
    assert annotation["claimdesk:publishedAt"] == claim.published_at.astimezone(UTC).isoformat()
    assert (annotation["claimdesk:verdictBy"], annotation["claimdesk:publishedBy"]) == ("eddie", "rita")
    assert annotation["claimdesk:claimant"]["type"] == "Organization"


# (b) Round trip: the demo desk, exported and imported into an empty desk


@pytest.fixture
def demo(db, settings):
    """The demo users and claims, loaded as `load_demo` does."""
    settings.DEBUG = True
    create_demo_users()
    settings.DEBUG = False
    call_command("loaddata", str(DEMO_FIXTURE), verbosity=0)


def test_the_demo_desk_survives_a_round_trip_into_an_empty_desk(demo):
    before = snapshot()
    data = exported()
    wipe_desk()
    assert not Claim.objects.exists() and not Source.objects.exists()
    admin = get_user_model().objects.get(username="admin")

    report = import_annotations(data, by=admin)

    assert report.ok, report.lines()
    assert len(report.created) == len(before) == 35
    assert report.skipped == []
    assert snapshot() == before
    for claim in Claim.objects.all():
        arrival = claim.events.get(field="status")
        assert (arrival.new_value, arrival.actor, arrival.origin) == (claim.status, admin, Origin.IMPORT)
        assert set(claim.history.values_list("history_origin", flat=True)) == {Origin.IMPORT}


def test_a_round_trip_through_the_commands_keeps_every_claim(demo, tmp_path):
    before = snapshot()
    out = StringIO()
    call_command("export_annotations", stdout=out)
    path = tmp_path / "desk.jsonld"
    path.write_text(out.getvalue(), encoding="utf-8")
    wipe_desk()
    call_command("import_annotations", str(path), stdout=StringIO())
    assert snapshot() == before


# (c) Import: all or nothing, never twice


def test_importing_the_same_file_twice_creates_nothing_the_second_time(desk, superuser):
    data = exported()
    wipe_desk()
    first = import_annotations(data, by=superuser)
    assert first.ok and len(first.created) == 5
    counts = [model.objects.count() for model in (Claim, Source, Claimant, Tag, ClaimEvent)]

    again = import_annotations(data, by=superuser)

    assert again.ok and again.created == []
    assert [model.objects.count() for model in (Claim, Source, Claimant, Tag, ClaimEvent)] == counts
    already = [entry for entry in again.skipped if "already here" in entry.message]
    assert {entry.claim.pk for entry in already} == set(Claim.objects.values_list("pk", flat=True))
    assert already[0].message == f"already here, as claim #{already[0].claim.pk}."


def test_an_import_over_the_desk_it_came_from_changes_nothing(desk, superuser):
    before = snapshot()
    report = import_annotations(exported(), by=superuser)
    assert report.ok and report.created == []
    assert len(report.skipped) == len(desk)
    assert snapshot() == before


def test_an_orphaned_claim_is_recreated_as_an_orphan_with_its_last_quote(desk, superuser):
    orphan = desk["orphaned"]
    data = exported()
    wipe_desk()
    report = import_annotations(data, by=superuser)
    assert report.ok, report.lines()
    claim = Claim.objects.get(quote="Critics disagreed.")
    assert (claim.quote_start, claim.quote_end) == (orphan.quote_start, orphan.quote_end)
    assert claim.orphaned_at == orphan.orphaned_at
    assert (claim.quote_prefix, claim.quote_suffix) == (orphan.quote_prefix, orphan.quote_suffix)
    warning = next(entry for entry in report.warnings if "orphaned" in entry.message)
    assert warning.annotation_id == f"{BASE}/claims/{orphan.pk}/"
    assert "recreated as orphaned" in warning.message


def test_an_orphaned_claim_is_recreated_where_its_quote_still_stands(desk, superuser):
    orphan = desk["orphaned"]
    annotation = exported(Claim.objects.filter(pk=orphan.pk))[0]
    # Imported next to the text it was quoted from.
    old_text = annotation["target"]["source"]["claimdesk:text"].replace("Critics protested.", "Critics disagreed.")
    annotation["target"]["source"].update({"claimdesk:text": old_text, "claimdesk:url": "https://elsewhere.example/a"})
    report = import_annotations([annotation], by=superuser)
    assert report.ok, report.lines()
    (created,) = report.created
    assert (created.claim.quote, created.claim.quote_start) == (orphan.quote, orphan.quote_start)
    assert created.claim.orphaned_at is None
    assert "it was orphaned in the file" in report.warnings[0].message


def test_one_bad_annotation_means_nothing_is_imported_and_every_problem_is_named(desk, superuser):
    data = exported()
    wipe_desk()
    data[0]["target"]["selector"][0]["exact"] = "words nobody wrote"
    data[0]["target"]["selector"][1]["end"] = data[0]["target"]["selector"][1]["start"] + len("words nobody wrote")
    data[1]["claimdesk:verdict"] = "pants-on-fire"
    del data[2]["target"]
    data.append("not an annotation")

    report = import_annotations(data, by=superuser)

    assert not report.ok
    assert report.created == []
    assert [str(entry) for entry in report.errors] == [
        f"Annotation 1 ({data[0]['id']}): its quote “words nobody wrote” is not in the source's text.",
        f"Annotation 2 ({data[1]['id']}): “pants-on-fire” is not the key of a rating here (claimdesk:verdict).",
        f"Annotation 3 ({data[2]['id']}): it has no target with a source and selectors: "
        "a claim quotes a source's text.",
        "Annotation 6: it is not an annotation (a JSON object).",
    ]
    for model in (Claim, Source, Claimant, Tag, ClaimEvent):
        assert not model.objects.exists(), model
    assert report.summary == "Nothing was imported: 4 problem(s) to fix first."


def test_an_annotation_must_describe_the_claim_and_quote_it(db, superuser):
    report = import_annotations(
        {
            "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "a,b"}],
            "target": {"source": {"id": "https://example.org/a"}, "selector": {"type": "TextPositionSelector"}},
            "claimdesk:status": "done",
        },
        by=superuser,
    )
    assert [entry.message for entry in report.errors] == [
        "it needs exactly one TextualBody with purpose “describing” whose value is the claim's summary (found 0).",
        "its tag: “a,b” has a comma; files list tags separated by commas, so a tag name cannot hold one.",
        "its target needs exactly one TextQuoteSelector (found 0).",
        "its TextPositionSelector's start is not a whole number of 0 or more.",
        "its TextPositionSelector's end is not a whole number of 0 or more.",
        "claimdesk:status “done” is not a status.",
    ]


def test_a_quote_not_at_its_offsets_is_found_again_by_its_context(desk, superuser):
    claim = desk["new"]
    annotation = exported(Claim.objects.filter(pk=claim.pk))[0]
    wipe_desk()
    annotation["target"]["selector"][1].update(start=0, end=len(claim.quote))
    report = import_annotations([annotation], by=superuser)
    assert report.ok, report.lines()
    created = report.created[0].claim
    assert (created.quote_start, created.quote_end) == (claim.quote_start, claim.quote_end)
    assert report.warnings[0].message == (
        f"its quote is not at 0–{len(claim.quote)} in the source's text; "
        f"it was found at {claim.quote_start}–{claim.quote_end} by its quote and context."
    )


def test_a_quote_selector_alone_is_enough(desk, superuser):
    claim = desk["new"]
    annotation = exported(Claim.objects.filter(pk=claim.pk))[0]
    wipe_desk()
    del annotation["target"]["selector"][1]
    report = import_annotations(annotation, by=superuser)
    assert report.ok and report.warnings == []
    assert (report.created[0].claim.quote_start, report.created[0].claim.quote_end) == (
        claim.quote_start,
        claim.quote_end,
    )


def test_sources_claimants_and_tags_already_here_are_reused(desk, superuser):
    claim = desk["new"]
    annotation = exported(Claim.objects.filter(pk=claim.pk))[0]
    Claim.objects.filter(pk=claim.pk).delete()
    Claimant.objects.filter(name="Ana Ruiz").update(name="ANA RUIZ")
    counts = [model.objects.count() for model in (Source, Claimant, Tag)]

    report = import_annotations(annotation, by=superuser)

    assert report.ok, report.lines()
    created = report.created[0].claim
    assert (created.source, created.claimant.name) == (claim.source, "ANA RUIZ")
    assert [model.objects.count() for model in (Source, Claimant, Tag)] == counts


def test_a_source_without_a_url_is_matched_by_its_title_and_text(desk, superuser):
    claim = desk["no_claimant"]
    annotation = exported(Claim.objects.filter(pk=claim.pk))[0]
    Claim.objects.filter(pk=claim.pk).delete()
    report = import_annotations(annotation, by=superuser)
    assert report.ok and report.created[0].claim.source == claim.source
    assert Source.objects.count() == 2


def test_a_source_matched_by_its_url_keeps_its_own_text(desk, superuser):
    claim = desk["new"]
    annotation = exported(Claim.objects.filter(pk=claim.pk))[0]
    Claim.objects.filter(pk=claim.pk).delete()
    annotation["target"]["source"]["claimdesk:text"] = "An older version. " + claim.source.text
    annotation["target"]["selector"][1].update(start=claim.quote_start + 18, end=claim.quote_end + 18)
    report = import_annotations(annotation, by=superuser)
    assert report.ok, report.lines()
    created = report.created[0].claim
    assert (created.source, created.quote_start) == (claim.source, claim.quote_start)
    assert "whose text here differs from the file's" in report.warnings[0].message


def test_people_who_are_not_here_are_left_out_and_noted(desk, superuser):
    claim = desk["in_review"]
    annotation = exported(Claim.objects.filter(pk=claim.pk))[0]
    wipe_desk()
    annotation["claimdesk:assignee"] = "nobody-here"
    report = import_annotations(annotation, by=superuser)
    assert report.ok, report.lines()
    created = report.created[0].claim
    assert (created.assignee, created.reviewer.username) == (None, "rita")
    assert [entry.message for entry in report.warnings] == [
        "claimdesk:assignee “nobody-here” is not a user who may work claims here; left empty."
    ]


def test_what_the_importer_may_not_do_is_refused(desk, editor):
    data = exported()
    wipe_desk()
    report = import_annotations(data, by=editor)
    assert not report.ok
    messages = {entry.message for entry in report.errors}
    assert "status: You are not allowed to import claims that are published." in messages
    assert "tags: You are not allowed to tag claims." in messages
    assert not Claim.objects.exists()


def test_an_import_that_an_editor_may_make(desk, editor):
    annotation = exported(Claim.objects.filter(pk=desk["no_claimant"].pk))[0]
    wipe_desk()
    report = import_annotations(annotation, by=editor)
    assert report.ok, report.lines()
    assert report.created[0].claim.status == Status.NOT_CHECKWORTHY
    assert report.created[0].claim.events.get().actor == editor


def test_an_unknown_published_verdict_names_its_key(desk, superuser):
    annotation = exported(Claim.objects.filter(pk=desk["published"].pk))[0]
    wipe_desk()
    annotation["claimdesk:publishedVerdict"] = "sort-of"
    report = import_annotations(annotation, by=superuser)
    assert [entry.message for entry in report.errors] == [
        "“sort-of” is not the key of a rating here (claimdesk:publishedVerdict)."
    ]


def test_a_file_that_is_not_json_is_refused_clearly():
    with pytest.raises(AnnotationFileError, match=r"^The file is not JSON: Expecting value at line 1, column 1\.$"):
        read_annotations(b"this is not json")
    with pytest.raises(AnnotationFileError, match="not UTF-8"):
        read_annotations(b"\xff\xfe{}")
    with pytest.raises(AnnotationFileError, match="neither an annotation nor a list"):
        read_annotations("42")
    assert read_annotations("\ufeff[]".encode()) == []


# (d) The commands


def test_the_export_command_prints_every_claim(desk):
    out = StringIO()
    call_command("export_annotations", stdout=out)
    data = json.loads(out.getvalue())
    assert [annotation["id"] for annotation in data] == [annotation["id"] for annotation in exported(base_url=None)]
    assert "“" in out.getvalue()  # not escaped: ensure_ascii is off
    assert out.getvalue().startswith('[\n  {\n    "@context"')


def test_the_export_command_prints_one_sources_claims(desk):
    source = desk["published"].source
    out = StringIO()
    call_command("export_annotations", "--source", str(source.pk), stdout=out)
    data = json.loads(out.getvalue())
    assert [annotation["target"]["selector"][1]["start"] for annotation in data] == list(
        source.claims.order_by("quote_start").values_list("quote_start", flat=True)
    )
    assert len(data) == 2


def test_the_export_command_refuses_an_unknown_source(db):
    with pytest.raises(CommandError, match="There is no source with id 999"):
        call_command("export_annotations", "--source", "999", stdout=StringIO())


def test_the_import_command_reads_a_file_and_reports(desk, tmp_path):
    path = tmp_path / "claims.jsonld"
    path.write_text(json.dumps(exported()), encoding="utf-8")
    wipe_desk()
    out = StringIO()
    call_command("import_annotations", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "5 claim(s) created, 0 skipped."
    assert len([line for line in lines if line.startswith("Created: Annotation")]) == 5
    assert any("recreated as orphaned" in line for line in lines)
    assert ClaimEvent.objects.filter(origin=Origin.IMPORT, actor=None).exists()


def test_the_import_command_reads_standard_input_as_a_user(desk):
    data = json.dumps(exported())
    wipe_desk()
    call_command("import_annotations", "-", "--user", "rita", stdin=StringIO(data), stdout=StringIO())
    assert Claim.objects.count() == 5
    assert set(ClaimEvent.objects.values_list("actor__username", flat=True)) == {"rita"}


def test_the_import_command_lists_every_problem_and_changes_nothing(desk, tmp_path):
    data = exported()
    wipe_desk()
    data[1]["claimdesk:verdict"] = "pants-on-fire"
    data[3]["body"] = []
    path = tmp_path / "claims.jsonld"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_annotations", str(path), stdout=StringIO())
    lines = str(refused.value).splitlines()
    assert lines[0] == "Nothing was imported: 2 problem(s) to fix first."
    assert lines[1].startswith("Error: Annotation 2 (") and lines[1].endswith(
        "“pants-on-fire” is not the key of a rating here (claimdesk:verdict)."
    )
    assert lines[2].startswith("Error: Annotation 4 (")
    assert not Claim.objects.exists()


def test_the_import_command_refuses_what_it_cannot_read(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.jsonld: No such file or directory"):
        call_command("import_annotations", str(tmp_path / "missing.jsonld"), stdout=StringIO())
    with pytest.raises(CommandError, match="The file is not JSON"):
        call_command("import_annotations", "-", stdin=StringIO("{oops"), stdout=StringIO())
    with pytest.raises(CommandError, match="There is no user “nobody”"):
        call_command("import_annotations", "-", "--user", "nobody", stdin=StringIO("[]"), stdout=StringIO())


# (e) The pages


def test_a_claims_annotation_is_served_as_json_ld(desk, viewer_client):
    claim = desk["published"]
    response = viewer_client.get(reverse("claims:claim_annotation", args=[claim.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    assert "Content-Disposition" not in response
    data = json.loads(response.content)
    assert data == json.loads(json.dumps(claim_to_annotation(claim, base_url="http://testserver/")))
    assert data["id"] == f"http://testserver/claims/{claim.pk}/"


def test_a_claims_annotation_can_be_downloaded(desk, viewer_client):
    claim = desk["new"]
    response = viewer_client.get(reverse("claims:claim_annotation", args=[claim.pk]), {"download": "1"})
    assert response["Content-Disposition"] == f"attachment; filename=claim-{claim.pk}.jsonld"
    assert viewer_client.get(reverse("claims:claim_annotation", args=[999])).status_code == 404


def test_a_sources_annotations_are_its_claims(desk, viewer_client):
    source = desk["new"].source
    response = viewer_client.get(reverse("claims:source_annotations", args=[source.pk]), {"download": "1"})
    assert response["Content-Type"] == MEDIA_TYPE
    assert response["Content-Disposition"] == f"attachment; filename=source-{source.pk}-claims.jsonld"
    ids = [annotation["id"] for annotation in json.loads(response.content)]
    assert ids == [
        f"http://testserver/claims/{pk}/" for pk in source.claims.order_by("quote_start").values_list("pk", flat=True)
    ]


def test_the_export_is_what_the_desk_shows(desk, viewer_client):
    response = viewer_client.get(reverse("claims:annotations_export"), {"status": "published", "download": "1"})
    assert response["Content-Disposition"] == "attachment; filename=claims.jsonld"
    assert [annotation["id"] for annotation in json.loads(response.content)] == [
        f"http://testserver/claims/{desk['published'].pk}/"
    ]
    everything = json.loads(viewer_client.get(reverse("claims:annotations_export")).content)
    assert len(everything) == len(desk)
    by_tag = json.loads(viewer_client.get(reverse("claims:annotations_export"), {"tag": "trade", "q": "never"}).content)
    assert [annotation["id"] for annotation in by_tag] == [f"http://testserver/claims/{desk['in_review'].pk}/"]


def test_an_export_with_a_filter_that_cannot_be_applied_is_refused(desk, viewer_client):
    response = viewer_client.get(reverse("claims:annotations_export"), {"status": "done"})
    assert response.status_code == 400
    assert "status" in response.content.decode() and "nothing was exported" in response.content.decode()


def test_the_import_page_offers_the_upload(editor_client):
    response = editor_client.get(reverse("claims:annotations_import"))
    assert response.status_code == 200
    page = shown(response)
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page


def test_an_upload_is_imported_and_the_page_says_what_happened(desk, reviewer_client):
    data = exported()
    wipe_desk()
    upload = SimpleUploadedFile("claims.jsonld", json.dumps(data).encode(), content_type="application/ld+json")
    response = reviewer_client.post(reverse("claims:annotations_import"), {"file": upload})
    assert response.status_code == 200
    page = shown(response)
    assert "5 claim(s) created, 0 skipped." in page
    for claim in Claim.objects.all():
        assert f'href="{claim.get_absolute_url()}"' in page
    assert "recreated as orphaned" in page
    assert Claim.objects.count() == 5
    assert set(ClaimEvent.objects.values_list("origin", "actor__username")) == {(Origin.IMPORT, "rita")}


def test_an_upload_with_a_bad_annotation_comes_back_with_every_problem(desk, reviewer_client):
    data = exported()
    wipe_desk()
    data[0]["claimdesk:verdict"] = "pants-on-fire"
    upload = SimpleUploadedFile("claims.jsonld", json.dumps(data).encode())
    response = reviewer_client.post(
        reverse("claims:annotations_import"), {"file": upload}, **HTMX, HTTP_HX_TARGET="annotations-import"
    )
    assert response.status_code == 422
    page = shown(response)
    assert "<html" not in page  # htmx gets the panel
    assert "Nothing was imported: 1 problem(s) to fix first." in page
    assert "“pants-on-fire” is not the key of a rating here (claimdesk:verdict)." in page
    assert not Claim.objects.exists()


def test_an_upload_that_is_not_json_comes_back_with_the_reason(db, reviewer_client):
    upload = SimpleUploadedFile("notes.txt", b"this is not json")
    response = reviewer_client.post(reverse("claims:annotations_import"), {"file": upload})
    assert response.status_code == 422
    assert "The file is not JSON: Expecting value at line 1, column 1." in shown(response)
    missing = reviewer_client.post(reverse("claims:annotations_import"), {})
    assert missing.status_code == 422
    assert "Choose a file to import." in shown(missing)
    assert not Claim.objects.exists()


def test_anonymous_people_are_sent_to_log_in(db, client):
    for name, args in [
        ("claims:annotations_import", []),
        ("claims:annotations_export", []),
        ("claims:claim_annotation", [1]),
        ("claims:source_annotations", [1]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_viewers_export_but_cannot_import(desk, viewer_client):
    assert viewer_client.get(reverse("claims:annotations_export")).status_code == 200
    assert viewer_client.get(reverse("claims:annotations_import")).status_code == 403
    upload = SimpleUploadedFile("claims.jsonld", json.dumps(exported()).encode())
    assert viewer_client.post(reverse("claims:annotations_import"), {"file": upload}).status_code == 403
    assert viewer_client.post(reverse("claims:annotations_export")).status_code == 405


# (f) The export's queries do not grow with the claims


@pytest.mark.parametrize("count", [1, 50])
def test_the_export_takes_the_same_queries_for_one_claim_or_fifty(db, count, django_assert_max_num_queries):
    source = SourceFactory()
    claimant, tag = ClaimantFactory(), TagFactory()
    rating = Rating.objects.get(key="true")
    reviewer = UserFactory(role="reviewer")
    for _ in range(count):
        ClaimFactory(
            source=source, claimant=claimant, tags=[tag], verdict=rating, rationale="Checked.", reviewer=reviewer
        )
    with django_assert_max_num_queries(2):
        annotations = export_annotations(Claim.objects.all())
    assert len(annotations) == count


def test_the_export_page_takes_the_same_queries_for_one_claim_or_fifty(db, viewer_client):
    source = SourceFactory()
    claimant = ClaimantFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert viewer_client.get(reverse("claims:annotations_export"), {"q": "Exports"}).status_code == 200
        return len(captured)

    ClaimFactory(source=source, claimant=claimant, tags=[TagFactory()])
    one = queries()
    for _ in range(49):
        ClaimFactory(source=source, claimant=claimant, tags=[TagFactory()])
    assert queries() == one
