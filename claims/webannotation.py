"""Claims as W3C Web Annotations (https://www.w3.org/TR/annotation-model/): export, and import all or nothing."""

# A claim is one Annotation: its summary, verdict and tags are TextualBodies (purposes describing, assessing,
# tagging); its target is the source narrowed by a TextQuoteSelector and a TextPositionSelector (code points).
# The rest travels in the Claimdesk namespace: the claim's state on the annotation, and the source's details
# and whole text on the target's source, so an export imported into an empty database recreates the same
# claims at the same offsets.

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from . import anchoring, roles
from .audit import Origin, changes_from
from .models import Claim, Claimant, ClaimantKind, Rating, Source, Tag, clean_tag_name
from .resources import ClaimResource
from .workflow import Status

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "https://claimdesk.example/ns#"
CONTEXT = [
    ANNO_CONTEXT,
    {
        "claimdesk": NAMESPACE,
        "claimdesk:url": {"@type": "@id"},
        "claimdesk:publishedOn": {"@type": "xsd:date"},
        "claimdesk:publishedAt": {"@type": "xsd:dateTime"},
        "claimdesk:correctedAt": {"@type": "xsd:dateTime"},
        "claimdesk:orphaned": {"@type": "xsd:dateTime"},
    },
]
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

CLAIMANT_TYPES = {ClaimantKind.PERSON: "Person", ClaimantKind.ORGANISATION: "Organization"}
# Who is named in an annotation by username, and who may be named there.
PEOPLE = {
    "assignee": ("claimdesk:assignee", roles.claim_workers, "a user who may work claims"),
    "reviewer": ("claimdesk:reviewer", roles.claim_reviewers, "a user who may review claims"),
    "verdict_by": ("claimdesk:verdictBy", None, "a user"),
    "published_by": ("claimdesk:publishedBy", None, "a user"),
}


def resolved_base_url(base_url: str | None = None) -> str:
    """The address identifiers start with: `base_url`, else the CLAIMDESK_BASE_URL setting."""
    return (base_url or getattr(settings, "CLAIMDESK_BASE_URL", DEFAULT_BASE_URL)).rstrip("/")


# Export


def annotation_queryset(claims):
    """`claims` with everything an annotation shows, in a constant number of queries."""
    people = ("assignee", "reviewer", "verdict_by", "published_by")
    return claims.select_related("source", "claimant", "verdict", "published_verdict", *people).prefetch_related("tags")


def export_annotations(claims, *, base_url=None) -> list[dict]:
    """Each claim of the queryset as an annotation, in the queryset's order."""
    base = resolved_base_url(base_url)
    return [claim_to_annotation(claim, base_url=base) for claim in annotation_queryset(claims)]


def claim_to_annotation(claim: Claim, *, base_url=None) -> dict:
    """The claim as a W3C Web Annotation, with its source and its state in the Claimdesk namespace."""
    base = resolved_base_url(base_url)
    body = [_textual_body("describing", claim.summary)]
    if claim.verdict is not None:
        assessment = f"{claim.verdict.label}: {claim.rationale}" if claim.rationale else claim.verdict.label
        body.append(_textual_body("assessing", assessment))
    body += [_textual_body("tagging", tag.name) for tag in sorted(claim.tags.all(), key=lambda tag: tag.name)]
    annotation = {
        "@context": CONTEXT,
        "id": f"{base}{claim.get_absolute_url()}",
        "type": "Annotation",
        "motivation": "assessing" if claim.verdict is not None else "describing",
        "created": _moment(claim.created_at),
        "modified": _moment(claim.updated_at),
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": _source_resource(claim.source, base),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": claim.quote,
                    "prefix": claim.quote_prefix,
                    "suffix": claim.quote_suffix,
                },
                {"type": "TextPositionSelector", "start": claim.quote_start, "end": claim.quote_end},
            ],
        },
        "claimdesk:status": claim.status,
        "claimdesk:kind": claim.kind,
    }
    if claim.claimant is not None:
        annotation["claimdesk:claimant"] = {
            "type": CLAIMANT_TYPES[claim.claimant.kind],
            "name": claim.claimant.name,
            "claimdesk:role": claim.claimant.role,
        }
    if claim.verdict is not None:
        annotation["claimdesk:verdict"] = claim.verdict.key
    if claim.rationale:
        annotation["claimdesk:rationale"] = claim.rationale
    if claim.published_verdict is not None:
        annotation["claimdesk:publishedVerdict"] = claim.published_verdict.key
    if claim.published_rationale:
        annotation["claimdesk:publishedRationale"] = claim.published_rationale
    for name, value in [
        ("claimdesk:publishedAt", claim.published_at),
        ("claimdesk:correctedAt", claim.corrected_at),
        ("claimdesk:orphaned", claim.orphaned_at),
    ]:
        if value is not None:
            annotation[name] = _moment(value)
    for attribute, (name, _, _) in PEOPLE.items():
        person = getattr(claim, attribute)
        if person is not None:
            annotation[name] = person.get_username()
    return annotation


def _textual_body(purpose: str, value: str) -> dict:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def _source_resource(source: Source, base: str) -> dict:
    """The source as an External Web Resource with its whole text, identified by its URL or else its Claimdesk page."""
    resource = {
        "id": iri_to_uri(source.url) if source.url else f"{base}{source.get_absolute_url()}",
        "type": "Text",
        "format": "text/plain",
        "claimdesk:title": source.title,
        "claimdesk:kind": source.kind,
    }
    if source.outlet:
        resource["claimdesk:outlet"] = source.outlet
    if source.url:
        resource["claimdesk:url"] = source.url
    if source.published_on is not None:
        resource["claimdesk:publishedOn"] = source.published_on.isoformat()
    resource["claimdesk:text"] = source.text
    return resource


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


# Import


class AnnotationFileError(ValueError):
    """A file that cannot be read as annotations at all (not UTF-8, not JSON)."""


def read_annotations(raw: bytes | str) -> list | dict:
    """The JSON in `raw`, or AnnotationFileError saying why it is not an annotations file."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise AnnotationFileError(
                f"The file is not UTF-8 text (byte {error.start} cannot be read), so it is not a JSON-LD file."
            ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise AnnotationFileError(
            f"The file is not JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    if not isinstance(data, list | dict):
        raise AnnotationFileError("The file holds neither an annotation nor a list of annotations.")
    return data


@dataclass(frozen=True)
class Entry:
    """One line of an import's report about one annotation of the file (numbered from 1)."""

    number: int
    annotation_id: str
    message: str
    claim: Claim | None = None

    def __str__(self):
        named = f" ({self.annotation_id})" if self.annotation_id else ""
        return f"Annotation {self.number}{named}: {self.message}"


@dataclass
class ImportReport:
    """What an import did: claims created, annotations skipped and why, notes, and errors (then nothing was saved)."""

    created: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)
    warnings: list[Entry] = field(default_factory=list)
    errors: list[Entry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if self.errors:
            return f"Nothing was imported: {len(self.errors)} problem(s) to fix first."
        return f"{len(self.created)} claim(s) created, {len(self.skipped)} skipped."

    def lines(self) -> list[str]:
        """The report as text: the summary, then every error, skip and warning."""
        lines = [self.summary]
        lines += [f"Error: {entry}" for entry in self.errors]
        lines += [f"Created: {entry}" for entry in self.created]
        lines += [f"Skipped: {entry}" for entry in self.skipped]
        lines += [f"Note: {entry}" for entry in self.warnings]
        return lines


def import_annotations(data: list | dict, *, by, origin: str = Origin.IMPORT) -> ImportReport:
    """Create the claims the annotations describe, all or none, as `by` (None: the trusted command line)."""
    items = data if isinstance(data, list) else [data]
    importer = _Importer(by, origin)
    with changes_from(origin), transaction.atomic():
        for number, item in enumerate(items, start=1):
            importer.add(number, item)
        if importer.report.errors:
            transaction.set_rollback(True)
            importer.report.created.clear()
    return importer.report


@dataclass
class _Annotation:
    """What an annotation asks for, read and checked without touching the database."""

    number: int
    id: str
    summary: str = ""
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    source: dict = field(default_factory=dict)
    source_id: str = ""
    claimant: dict | None = None
    tags: list[str] = field(default_factory=list)
    assessment: str = ""
    details: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)
    orphaned: bool = False
    orphaned_at: datetime | None = None
    stays_orphaned: bool = False


class _Refused(Exception):
    """An annotation that cannot become a claim, with every reason."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


class _CommandLine:
    """Whoever runs the import command without --user: the shell is trusted with every permission."""

    def has_perm(self, permission: str) -> bool:
        return True


class _Importer:
    def __init__(self, by, origin: str):
        self.by = by
        self.origin = origin
        # The admin import's rules for a new claim: who may bring in which status, verdict, people and tags.
        self.rules = ClaimResource()
        self.rules.user = by if by is not None else _CommandLine()
        self.report = ImportReport()
        self.users: dict[tuple[str, str], object] = {}
        self.sources_warned: set[int] = set()

    def add(self, number: int, item) -> None:
        annotation_id = item.get("id", "") if isinstance(item, dict) else ""
        annotation_id = annotation_id if isinstance(annotation_id, str) else ""
        try:
            annotation = _read(number, annotation_id, item)
            with transaction.atomic():
                self.save(annotation)
        except _Refused as refused:
            self.report.errors += [Entry(number, annotation_id, reason) for reason in refused.reasons]

    def warn(self, annotation: _Annotation, message: str) -> None:
        self.report.warnings.append(Entry(annotation.number, annotation.id, message))

    def save(self, annotation: _Annotation) -> None:
        reasons = []
        ratings = {}
        for name, key in annotation.ratings.items():
            ratings[name] = Rating.objects.filter(key=key).first()
            if ratings[name] is None:
                reasons.append(f"“{key}” is not the key of a rating here ({_KEYS[name]}).")
        source = self.find_source(annotation, reasons)
        if reasons:
            raise _Refused(reasons)
        span = self.anchor(annotation, source)
        if span is None:
            return
        start, end = span
        existing = Claim.objects.filter(source=source, quote_start=start, quote_end=end, quote=annotation.exact).first()
        if existing is not None:
            self.report.skipped.append(
                Entry(annotation.number, annotation.id, f"already here, as claim #{existing.pk}.", existing)
            )
            return
        claim = Claim(
            source=source,
            quote=annotation.exact,
            quote_start=start,
            quote_end=end,
            summary=annotation.summary,
            claimant=self.find_claimant(annotation, reasons),
            changed_by=self.by,
            **ratings,
            **annotation.details,
            **{name: self.find_person(annotation, name, username) for name, username in annotation.people.items()},
        )
        if annotation.stays_orphaned:
            claim.orphaned_at = annotation.orphaned_at or timezone.now()
            claim.quote_prefix, claim.quote_suffix = annotation.prefix, annotation.suffix
        tags = [self.tag(name) for name in annotation.tags]
        if reasons:
            raise _Refused(reasons)
        try:
            claim.full_clean(exclude=["tags"])
            self.rules.requested = {"tags": annotation.tags}
            self.rules.check_new_claim(claim)
        except ValidationError as error:
            raise _Refused(_messages(error)) from error
        claim._history_user = self.by
        try:
            claim.save(force_insert=True)
        except DatabaseError as error:
            raise _Refused([f"the database refused the claim: {error}"]) from error
        claim.tags.set(tags)
        claim.record_arrival(by=self.by, origin=self.origin)
        if "updated_at" in annotation.details:
            # auto_now stamped the save itself; keep the time the file records.
            Claim.objects.filter(pk=claim.pk).update(updated_at=annotation.details["updated_at"])
        if annotation.assessment and claim.verdict is None:
            self.warn(
                annotation,
                f"its assessment “{anchoring.shorten(annotation.assessment)}” names no rating "
                "(claimdesk:verdict), so the claim has no verdict.",
            )
        self.report.created.append(Entry(annotation.number, annotation.id, f"created claim #{claim.pk}.", claim))

    def find_source(self, annotation: _Annotation, reasons: list[str]) -> Source | None:
        """The source here with the file's URL, or its title and identical text; else a new one."""
        data = annotation.source
        text, title, url = data.get("text"), data.get("title"), data.get("url", "")
        source = Source.objects.filter(url=url).order_by("pk").first() if url else None
        if source is None and title is not None and text is not None:
            source = Source.objects.filter(title=title, text=text).order_by("pk").first()
        if source is not None:
            if text is not None and text != source.text and source.pk not in self.sources_warned:
                self.sources_warned.add(source.pk)
                self.warn(
                    annotation,
                    f"its source has the address of source #{source.pk} “{anchoring.shorten(source.title)}”, "
                    "whose text here differs from the file's: the quote is placed in the text here.",
                )
            return source
        if text is None or title is None:
            reasons.append(
                f"the target's source {annotation.source_id or '(no id)'} is not a source here, and the annotation "
                "does not carry it (claimdesk:title and claimdesk:text) to create it."
            )
            return None
        if not self.rules.user.has_perm("claims.add_source"):
            reasons.append("You are not allowed to add sources.")
            return None
        source = Source(
            title=title,
            text=text,
            url=url,
            outlet=data.get("outlet", ""),
            kind=data.get("kind", Source._meta.get_field("kind").default),
            published_on=data.get("published_on"),
        )
        try:
            source.full_clean()
        except ValidationError as error:
            reasons += [f"its source: {message}" for message in _messages(error)]
            return None
        source._history_user = self.by
        source.save()
        return source

    def anchor(self, annotation: _Annotation, source: Source) -> tuple[int, int] | None:
        """The quote's offsets in the source's text, as given or found again by quote and context; None: skipped."""
        text, exact = source.text, annotation.exact
        at_offsets = annotation.start is not None and text[annotation.start : annotation.end] == exact
        if at_offsets:
            if annotation.orphaned:
                self.warn(
                    annotation, "it was orphaned in the file; its quote stands at its offsets here, so it is placed."
                )
            return annotation.start, annotation.end
        if annotation.orphaned:
            if annotation.start is None:
                raise _Refused(["it is orphaned and has no TextPositionSelector to keep its last place by."])
            # Kept as it was, orphaned, with its last quote and offsets: nothing a desk wrote is dropped.
            annotation.stays_orphaned = True
            self.warn(
                annotation,
                f"recreated as orphaned: its quote “{anchoring.shorten(exact)}” is not in the source's text here; "
                "place it again in the reader.",
            )
            return annotation.start, annotation.end
        found = anchoring.find_quote(text, exact, prefix=annotation.prefix, suffix=annotation.suffix)
        if found is None:
            raise _Refused([f"its quote “{anchoring.shorten(exact)}” is not in the source's text."])
        if annotation.start is not None:
            self.warn(
                annotation,
                f"its quote is not at {annotation.start}–{annotation.end} in the source's text; "
                f"it was found at {found[0]}–{found[1]} by its quote and context.",
            )
        return found

    def find_claimant(self, annotation: _Annotation, reasons: list[str]) -> Claimant | None:
        """The claimant with this name, ignoring case, or a new one."""
        if annotation.claimant is None:
            return None
        claimant = Claimant.objects.filter(name__iexact=annotation.claimant["name"]).first()
        if claimant is not None:
            return claimant
        if not self.rules.user.has_perm("claims.add_claimant"):
            reasons.append("You are not allowed to add claimants.")
            return None
        claimant = Claimant(**annotation.claimant)
        try:
            claimant.full_clean()
        except ValidationError as error:
            reasons += [f"its claimant: {message}" for message in _messages(error)]
            return None
        claimant._history_user = self.by
        claimant.save()
        return claimant

    def find_person(self, annotation: _Annotation, attribute: str, username: str):
        """The user the file names, if they are here and may be named there; else nobody, noted."""
        name, queryset, who = PEOPLE[attribute]
        key = (attribute, username)
        if key not in self.users:
            users = queryset() if queryset else get_user_model().objects.all()
            self.users[key] = users.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if self.users[key] is None:
            self.warn(annotation, f"{name} “{username}” is not {who} here; left empty.")
        return self.users[key]

    def tag(self, name: str) -> Tag:
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            tag = Tag(name=name)
            tag._history_user = self.by
            tag.save()
        return tag


_KEYS = {"verdict": "claimdesk:verdict", "published_verdict": "claimdesk:publishedVerdict"}


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            message if name == "__all__" else f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return error.messages


def _read(number: int, annotation_id: str, item) -> _Annotation:
    """The annotation's claim, source and state, or _Refused with every reason it cannot be one."""
    if not isinstance(item, dict):
        raise _Refused(["it is not an annotation (a JSON object)."])
    reasons: list[str] = []
    reader = _Fields(reasons)
    annotation = _Annotation(number=number, id=annotation_id)
    types = item.get("type")
    if "Annotation" not in (types if isinstance(types, list) else [types]):
        reasons.append("its type is not “Annotation”.")
    _read_body(item.get("body"), annotation, reasons)
    _read_target(item.get("target"), annotation, reasons, reader)

    details = annotation.details
    details["status"] = reader.text(item, "claimdesk:status", default=Status.NEW)
    if details["status"] not in Status.values:
        reasons.append(f"claimdesk:status “{details['status']}” is not a status.")
    details["kind"] = reader.text(item, "claimdesk:kind", default=Claim._meta.get_field("kind").default)
    details["rationale"] = reader.text(item, "claimdesk:rationale")
    details["published_rationale"] = reader.text(item, "claimdesk:publishedRationale")
    for name, key in [
        ("created_at", "created"),
        ("updated_at", "modified"),
        ("published_at", "claimdesk:publishedAt"),
        ("corrected_at", "claimdesk:correctedAt"),
    ]:
        if key in item:
            details[name] = reader.moment(item, key)
    annotation.orphaned = "claimdesk:orphaned" in item
    if annotation.orphaned:
        annotation.orphaned_at = reader.moment(item, "claimdesk:orphaned")
    for name, key in _KEYS.items():
        if key in item:
            annotation.ratings[name] = reader.text(item, key)
    for attribute, (key, _, _) in PEOPLE.items():
        if item.get(key):
            annotation.people[attribute] = reader.text(item, key)
    if "claimdesk:claimant" in item:
        annotation.claimant = _read_claimant(item["claimdesk:claimant"], reasons, reader)
    if reasons:
        raise _Refused(reasons)
    return annotation


class _Fields:
    """Reads typed values out of JSON objects, noting what is wrong in `reasons`."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons

    def text(self, data: dict, key: str, *, default: str = "", label: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.reasons.append(f"{label}{key} is not a string.")
            return default
        return value

    def moment(self, data: dict, key: str) -> datetime | None:
        value = data[key]
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.reasons.append(f"{key} “{value}” is not a date and time such as 2026-05-01T09:30:00+00:00.")
            return None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)

    def day(self, data: dict, key: str, *, label: str = "") -> date | None:
        value = data[key]
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.reasons.append(f"{label}{key} “{value}” is not a date such as 2026-05-01.")
            return None

    def offset(self, data: dict, key: str) -> int | None:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.reasons.append(f"its TextPositionSelector's {key} is not a whole number of 0 or more.")
            return None
        return value


def _purposes(body: dict) -> list:
    purpose = body.get("purpose", [])
    return purpose if isinstance(purpose, list) else [purpose]


def _read_body(body, annotation: _Annotation, reasons: list[str]) -> None:
    """The summary (describing), tags (tagging) and assessment from the TextualBodies."""
    bodies = [item for item in (body if isinstance(body, list) else [body]) if isinstance(item, dict)]
    summaries = [item.get("value") for item in bodies if "describing" in _purposes(item)]
    if len(summaries) != 1 or not isinstance(summaries[0], str) or not summaries[0].strip():
        reasons.append(
            "it needs exactly one TextualBody with purpose “describing” whose value is the claim's summary "
            f"(found {len(summaries)})."
        )
    else:
        annotation.summary = summaries[0]
    for item in bodies:
        purposes, value = _purposes(item), item.get("value")
        if "tagging" in purposes:
            try:
                name = clean_tag_name(value if isinstance(value, str) else "")
            except ValidationError as error:
                reasons.append(f"its tag: {error.messages[0]}")
            else:
                annotation.tags.append(name)
        if "assessing" in purposes and isinstance(value, str):
            annotation.assessment = value
    annotation.tags = sorted(set(annotation.tags))


def _read_target(target, annotation: _Annotation, reasons: list[str], reader: _Fields) -> None:
    """The source and the quote's selectors."""
    if isinstance(target, list):
        if len(target) != 1:
            reasons.append(f"it has {len(target)} targets; a claim quotes one source.")
            return
        target = target[0]
    if not isinstance(target, dict):
        reasons.append("it has no target with a source and selectors: a claim quotes a source's text.")
        return
    source = target.get("source")
    if isinstance(source, str):
        source = {"id": source}
    if not isinstance(source, dict):
        reasons.append("its target has no source.")
    else:
        annotation.source_id = reader.text(source, "id", label="its source's ")
        _read_source(source, annotation, reader)
    selectors = target.get("selector")
    selectors = [item for item in (selectors if isinstance(selectors, list) else [selectors]) if isinstance(item, dict)]
    quotes = [item for item in selectors if item.get("type") == "TextQuoteSelector"]
    positions = [item for item in selectors if item.get("type") == "TextPositionSelector"]
    if len(quotes) != 1:
        reasons.append(f"its target needs exactly one TextQuoteSelector (found {len(quotes)}).")
    else:
        annotation.exact = reader.text(quotes[0], "exact", label="its TextQuoteSelector's ")
        annotation.prefix = reader.text(quotes[0], "prefix", label="its TextQuoteSelector's ")
        annotation.suffix = reader.text(quotes[0], "suffix", label="its TextQuoteSelector's ")
        if not annotation.exact:
            reasons.append("its TextQuoteSelector has no exact quote.")
    if len(positions) > 1:
        reasons.append(f"its target has {len(positions)} TextPositionSelectors; a claim has one place.")
    elif positions:
        annotation.start, annotation.end = reader.offset(positions[0], "start"), reader.offset(positions[0], "end")


def _read_source(data: dict, annotation: _Annotation, reader: _Fields) -> None:
    source = annotation.source
    for name in ["title", "text", "url", "outlet", "kind"]:
        key = f"claimdesk:{name}"
        if key in data:
            source[name] = reader.text(data, key, label="its source's ")
    if "claimdesk:publishedOn" in data:
        source["published_on"] = reader.day(data, "claimdesk:publishedOn", label="its source's ")


def _read_claimant(data, reasons: list[str], reader: _Fields) -> dict | None:
    if not isinstance(data, dict):
        reasons.append("claimdesk:claimant is not an object with a name.")
        return None
    name = reader.text(data, "name", label="its claimant's ").strip()
    if not name:
        reasons.append("its claimant has no name.")
    kinds = {value: kind for kind, value in CLAIMANT_TYPES.items()}
    kind = kinds.get(data.get("type", "Person"))
    if kind is None:
        reasons.append(f"its claimant's type “{data.get('type')}” is neither “Person” nor “Organization”.")
    return {"name": name, "kind": kind, "role": reader.text(data, "claimdesk:role", label="its claimant's ")}
