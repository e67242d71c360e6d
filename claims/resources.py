"""How sources, claimants and claims travel as CSV, JSON and XLSX files.

An export is lossless: imported into an empty database (sources, then claimants,
then claims), it recreates the same rows, timestamps, ids and published verdicts
included. An import is all or nothing: one bad row and nothing is saved, and its audit
rows say "import". A claim that already exists changes only through the domain
methods (`change_claim`, shared with the admin), so each change is checked against the
workflow and lands in the claim's timeline; a row exported before someone else changed
the claim is refused rather than undoing their work.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import sanitize_separators
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats

from . import anchoring, roles, workflow
from .audit import changes_from
from .models import (
    EDITABLE_DETAILS,
    TAG_SEPARATOR,
    Claim,
    Claimant,
    EditConflict,
    Origin,
    Rating,
    Source,
    Tag,
    clean_tag_name,
)
from .workflow import Status

# A claim's fields that change only through the workflow methods; its details
# (EDITABLE_DETAILS) change through `edit_details`, the quote's offsets with its quote.
WORKFLOW_FIELDS = ("status", "verdict", "rationale", "assignee", "reviewer", "tags")
OFFSETS = ("quote_start", "quote_end")


def unanchored_message(claims: list[Claim]) -> str:
    """Why a source text cannot change: the claims it would unanchor, the first few named."""
    named = ", ".join(f"#{claim.pk} “{anchoring.shorten(claim.summary, 40)}”" for claim in claims[:5])
    more = f" and {len(claims) - 5} more" if len(claims) > 5 else ""
    return (
        f"This text moves or changes the quotes of {len(claims)} claim(s): {named}{more}. "
        "Keep their quoted words at the same offsets, or correct those claims first."
    )


# Changes to an existing claim, as the admin's forms and an import ask for them


def change_claim(pk, wanted: dict, *, by, origin: str, note: str = "", based_on: int | None = None) -> Claim:
    """Give the claim what `wanted` asks of its details, quote offsets, people, tags,
    verdict (with its rationale) and status, through the domain methods, in the order
    the workflow needs, all or nothing. A value equal to the stored one makes no call,
    so a file or form that repeats a claim asks nothing of the rights it needs.

    Raises EditConflict when the claim changed since version `based_on` and this would
    change it: `wanted` is a whole record (a form, a row) made from that copy, so it
    would undo any change since, the person's own in another tab included. Raises a
    ValidationError keyed by field when the domain refuses a change (not being allowed
    to included)."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=pk)
        steps = _planned_changes(claim, wanted, by=by, origin=origin, note=note)
        if steps and based_on is not None and claim.version != based_on:
            raise EditConflict(claim, based_on)
        for field, step in steps:
            try:
                step()
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    raise
                raise ValidationError({field: error.error_list}) from error
            except PermissionDenied as error:
                raise ValidationError({field: str(error)}, code="not_allowed") from error
    return claim


def _planned_changes(claim: Claim, wanted: dict, *, by, origin, note) -> list[tuple[str, Callable[[], object]]]:
    """(field answering for it, domain call) for each value of `wanted` that differs from the claim."""
    differs = {name for name, value in wanted.items() if name != "tags" and value != getattr(claim, name)}
    details = {name: wanted[name] for name in EDITABLE_DETAILS if name in differs}
    if differs & set(OFFSETS) and not details.keys() & {"quote", "source"}:
        # The timeline records a quote or source change; bare offsets would move unrecorded.
        raise ValidationError(
            {"quote_start": "The offsets change only with the quote or its source, so the claim's timeline shows it."},
            code="offsets_alone",
        )
    steps = []
    if details:

        def edit():
            # The new offsets ride with the quote: edit_details saves and checks them with it.
            offsets = {name: wanted.get(name, getattr(claim, name)) for name in OFFSETS}
            claim.edit_details({**details, **offsets}, by=by, origin=origin)

        steps.append((NON_FIELD_ERRORS, edit))
    if "assignee" in differs:
        steps.append(("assignee", lambda: claim.assign(wanted["assignee"], by=by, origin=origin)))
    if "reviewer" in differs:
        steps.append(("reviewer", lambda: claim.assign_reviewer(wanted["reviewer"], by=by, origin=origin)))
    if "tags" in wanted and set(wanted["tags"]) != set(claim.tags.all()):
        steps.append(("tags", lambda: claim.set_tags(wanted["tags"], by=by, origin=origin)))
    verdict = wanted.get("verdict", claim.verdict)
    rationale = wanted.get("rationale", claim.rationale) or ""
    # Compared stripped, as set_verdict keeps it: surrounding blanks are not a new rationale.
    if (getattr(verdict, "pk", None), rationale.strip()) != (claim.verdict_id, claim.rationale.strip()):
        verdict_step = ("verdict", lambda: claim.set_verdict(verdict, by=by, rationale=rationale, origin=origin))
    else:
        verdict_step = None
    target = wanted.get("status", claim.status)
    status_step = None
    if target != claim.status:
        status_step = ("status", lambda: claim.transition(target, by=by, note=note, origin=origin))
    # A verdict is settled before the claim moves on (review and publishing need one),
    # unless the claim must first leave its status (a correction) for its verdict to change.
    order = [verdict_step, status_step] if workflow.verdict_lock(claim) is None else [status_step, verdict_step]
    return steps + [step for step in order if step]


def stale_message(conflict: EditConflict) -> str:
    """What changed since the person's copy of the claim, change by change, with who and when."""
    changes = [
        f"{event.actor or 'the system'} changed the {event.get_field_display().lower()} "
        f"from {event.old_label or '—'} to {event.new_label or '—'} "
        f"({timezone.localtime(event.at):%Y-%m-%d %H:%M})"
        for event in conflict.changes
    ]
    return "; ".join(changes) or "see its timeline"


def move_needing_a_note(claim: Claim, target) -> workflow.Transition | None:
    """The move to `target` if it needs a note (asking for evidence, opening a correction)."""
    move = workflow.find_transition(claim.status, target) if target and target != claim.status else None
    return move if move is not None and move.note_required else None


# Widgets


class MomentWidget(widgets.Widget):
    """A date and time as ISO 8601 text in UTC, microseconds included, in every
    format: spreadsheet dates carry neither a time zone nor microseconds."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(f"“{value}” is not a date and time such as 2024-05-01T09:30:00+00:00.") from None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def render(self, value, obj=None, **kwargs):
        return value.astimezone(UTC).isoformat() if value else ""


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number. Spreadsheets keep numbers as floats, so 12.0 is 12, but 12.5
    and "twelve" are refused with a reason rather than cut down or failing obscurely."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(sanitize_separators(value))
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"“{value}” is not a whole number.")
        return super().clean(value, row, **kwargs)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key written as one of the related row's fields, with an error that
    says what could not be found."""

    def __init__(self, model, field, *, missing, lookup=None, queryset=None, **kwargs):
        super().__init__(model, field, **kwargs)
        self.missing = missing
        self.lookup = lookup or field
        self.queryset = queryset

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset() if self.queryset else super().get_queryset(value, row, *args, **kwargs)

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {self.lookup: value}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            # An id a spreadsheet turned into a float; 3.5 must not find 3.
            if not value.is_integer():
                raise ValueError(self.missing.format(value))
            value = int(value)
        try:
            return super().clean(value, row, **kwargs)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise ValueError(self.missing.format(value)) from None


class TagsWidget(widgets.Widget):
    """Tags as their names, separated by commas. Import gives the cleaned names; the
    resource creates the tags that do not exist yet."""

    def clean(self, value, row=None, **kwargs) -> list[str]:
        names = str(value).split(TAG_SEPARATOR) if value not in (None, "") else []
        try:
            return sorted({clean_tag_name(name) for name in names if name.strip()})
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        names = sorted(tag.name for tag in value.all()) if value is not None else []
        return f"{TAG_SEPARATOR} ".join(names)


def text_field(attribute) -> Field:
    """Text kept exactly: whitespace, line breaks and empty values (which XLSX reads back as None)."""
    return Field(attribute=attribute, column_name=attribute, widget=widgets.CharWidget(allow_blank=True))


def moment_field(attribute) -> Field:
    return Field(attribute=attribute, column_name=attribute, widget=MomentWidget(), default=timezone.now)


# Formats


_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f]")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class XLSX(base_formats.XLSX):
    """XLSX that gives back exactly the text it was given.

    Every text is written as text (not as a formula when it starts with "="), and
    the characters XML cannot carry (carriage returns, other control characters) are
    escaped as _xHHHH_, as Excel itself does. A text longer than the 32,767
    characters a cell holds stops the export: openpyxl would cut it short.
    """

    CELL_LIMIT = 32_767

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        headers = list(dataset.headers or [])
        rows = [
            [self._escaped(dataset, number, header, value) for header, value in zip(headers, row, strict=True)]
            for number, row in enumerate([headers, *dataset])
        ]
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value)
                if isinstance(value, str):
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        stream = BytesIO()
        workbook.save(stream)
        return stream.getvalue()

    def _escaped(self, dataset, number, header, value):
        if not isinstance(value, str):
            return value
        value = _escape(value)
        if len(value) > self.CELL_LIMIT:
            record = f"row {number}"
            if "id" in dataset.headers:
                record += f" (id {dataset[number - 1][dataset.headers.index('id')]})"
            raise ValueError(
                f"Cannot export as XLSX: {record}, column “{header}” holds {len(value):,} characters, "
                f"but a spreadsheet cell holds at most {self.CELL_LIMIT:,}. Export as CSV or JSON instead."
            )
        return value

    def create_dataset(self, in_stream):
        dataset = super().create_dataset(in_stream)
        unescaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            unescaped.append([_unescape(value) if isinstance(value, str) else value for value in row])
        return unescaped


def _escape(value: str) -> str:
    return _OOXML_ESCAPE.sub(lambda match: f"_x{ord(match.group()):04X}_", value)


def _unescape(value: str) -> str:
    return _OOXML_ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), value)


FORMATS = [base_formats.CSV, base_formats.JSON, XLSX]


# Resources


class AllOrNothingResource(resources.ModelResource):
    """A resource whose import saves every row or none, records its audit rows as an
    import by the importing user, and restores what only a new row takes from the
    file (RESTORED: its timestamps; they never rewrite a stored row's)."""

    RESTORED = ("created_at", "updated_at")
    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        **dict.fromkeys(["BigAutoField", "PositiveIntegerField", "PositiveSmallIntegerField"], WholeNumberWidget),
    }

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        with changes_from(Origin.IMPORT):
            return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")

    def after_init_instance(self, instance, new, row, **kwargs):
        self.creating = new

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.RESTORED and not self.creating:
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # The audit row names the importing user, also for an import run outside a request.
        instance._history_user = self.user

    def after_save_instance(self, instance, row, **kwargs):
        # auto_now stamps the save itself; put back the time the file records.
        field = self.fields.get("updated_at")
        if self.creating and field is not None and field.column_name in row:
            instance.updated_at = field.clean(row)
            type(instance).objects.filter(pk=instance.pk).update(updated_at=instance.updated_at)

    def iter_queryset(self, queryset):
        # Keyed on the id rather than paged by offset, so rows that change while a long
        # export runs are neither skipped nor repeated.
        queryset = queryset.order_by("pk")
        size = self.get_chunk_size()
        page = list(queryset[:size])
        while page:
            yield from page
            page = list(queryset.filter(pk__gt=page[-1].pk)[:size])


class SourceResource(AllOrNothingResource):
    text = text_field("text")
    created_at = moment_field("created_at")
    updated_at = moment_field("updated_at")

    class Meta:
        model = Source
        fields = ("id", "title", "outlet", "url", "kind", "published_on", "text", "created_at", "updated_at")
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if not self.creating:
            broken = instance.claims_displaced_by(instance.text)
            if broken:
                raise ValidationError({"text": unanchored_message(broken)})


class ClaimantResource(AllOrNothingResource):
    class Meta:
        model = Claimant
        fields = ("id", "name", "kind", "role")
        clean_model_instances = True


def person_field(attribute, *, queryset=None, missing="There is no user “{}”.") -> Field:
    """A user, written as their username."""
    User = get_user_model()
    return Field(
        attribute=attribute,
        column_name=attribute,
        widget=LookupWidget(User, User.USERNAME_FIELD, queryset=queryset, missing=missing),
    )


def rating_field(attribute) -> Field:
    return Field(
        attribute=attribute,
        column_name=attribute,
        widget=LookupWidget(Rating, "key", missing="“{}” is not the key of a rating."),
    )


class ClaimResource(AllOrNothingResource):
    """Claims, with their source by id, claimant by name, ratings by key, people by
    username and tags by name.

    A new claim is created as the file has it (restoring an export), published verdict
    and version included, if the importing user may put it there, and its timeline
    records the import. On an existing claim the row's changes go through the domain
    (`change_claim`) as the importing user's: a change the workflow refuses them fails
    the row with the reason, and so does a row exported before someone else changed
    the claim (its `version`). What only the domain sets (RESTORED) is taken from the
    file for a new claim alone.
    """

    RESTORED = (
        *AllOrNothingResource.RESTORED,
        "verdict_by",
        "published_verdict",
        "published_rationale",
        "published_at",
        "published_by",
        "corrected_at",
        "version",
        "changed_by",
    )

    source = Field(
        attribute="source",
        column_name="source",
        widget=LookupWidget(Source, "pk", missing="There is no source with id “{}”; import sources first."),
    )
    quote = text_field("quote")
    quote_prefix = Field(attribute="quote_prefix", column_name="quote_prefix", readonly=True)
    quote_suffix = Field(attribute="quote_suffix", column_name="quote_suffix", readonly=True)
    claimant = Field(
        attribute="claimant",
        column_name="claimant",
        widget=LookupWidget(
            Claimant, "name", lookup="name__iexact", missing="There is no claimant named “{}”; import claimants first."
        ),
    )
    tags = Field(attribute="tags", column_name="tags", widget=TagsWidget())
    status = Field(attribute="status", column_name="status", widget=widgets.CharWidget())
    verdict = rating_field("verdict")
    rationale = text_field("rationale")
    assignee = person_field(
        "assignee",
        queryset=roles.claim_workers,
        missing="“{}” is not a user who may work claims (an editor, reviewer or superuser).",
    )
    reviewer = person_field(
        "reviewer",
        queryset=roles.claim_reviewers,
        missing="“{}” is not a user who may review claims (a reviewer or superuser).",
    )
    verdict_by = person_field("verdict_by")
    published_verdict = rating_field("published_verdict")
    published_rationale = text_field("published_rationale")
    published_at = Field(attribute="published_at", column_name="published_at", widget=MomentWidget())
    published_by = person_field("published_by")
    corrected_at = Field(attribute="corrected_at", column_name="corrected_at", widget=MomentWidget())
    # An empty cell keeps the model's default (1) rather than failing the row.
    version = Field(attribute="version", column_name="version", widget=WholeNumberWidget(), saves_null_values=False)
    changed_by = person_field("changed_by")
    created_at = moment_field("created_at")
    updated_at = moment_field("updated_at")

    class Meta:
        model = Claim
        fields = (
            "id",
            "summary",
            "quote",
            "source",
            "quote_start",
            "quote_end",
            "quote_prefix",
            "quote_suffix",
            "claimant",
            "kind",
            "tags",
            "status",
            "verdict",
            "rationale",
            "assignee",
            "reviewer",
            "verdict_by",
            "published_verdict",
            "published_rationale",
            "published_at",
            "published_by",
            "corrected_at",
            "version",
            "changed_by",
            "created_at",
            "updated_at",
        )
        clean_model_instances = True

    def dehydrate_source(self, claim):
        # The id is on the claim; reading claim.source would load every source's text.
        return claim.source_id

    def filter_export(self, queryset, **kwargs):
        people = ("assignee", "reviewer", "verdict_by", "published_by", "changed_by")
        return queryset.select_related("claimant", "verdict", "published_verdict", *people).prefetch_related("tags")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if self.user is None:
            raise ValueError("A claim import needs the importing user: import_data(..., user=request.user).")

    def before_import_row(self, row, **kwargs):
        self.requested = {}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Tags always wait for the saved claim. An existing claim's workflow fields are
        # asked of the domain, and its version says which copy of the claim the row was made from.
        asked = field.attribute == "tags" or (not self.creating and field.attribute in (*WORKFLOW_FIELDS, "version"))
        if not asked:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        elif field.column_name in row:
            self.requested[field.attribute] = field.clean(row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if self.creating:
            self.check_new_claim(instance)

    def do_instance_save(self, instance, is_create):
        # An existing claim is changed in save_m2m(), through the domain.
        if is_create:
            instance.save(force_insert=True)

    def save_m2m(self, instance, row, **kwargs):
        if self.creating:
            self.record_new_claim(instance)
        else:
            self.apply_changes(instance)

    def check_new_claim(self, claim: Claim) -> None:
        """A claim may arrive in any status, but only from a user allowed to put it
        there, with what that status needs on the desk, and with a published verdict
        that is the one it shows and that a second person approved."""
        if claim.status == Status.PUBLISHED and claim.published_at is None:
            # A file from before published verdicts were kept apart: as migration 0004
            # assumed, what readers see is the claim's own verdict.
            claim.published_verdict, claim.published_rationale = claim.verdict, claim.rationale
            claim.published_at = claim.updated_at
        carries_published_verdict = claim.published_at is not None or claim.published_verdict_id is not None
        refusals = {
            "status": (
                claim.status != Status.NEW,
                workflow.PUBLISH if claim.status == Status.PUBLISHED else workflow.CHANGE_STATUS,
                f"You are not allowed to import claims that are {Status(claim.status).label.lower()}.",
            ),
            "verdict": (
                claim.verdict_id is not None or bool(claim.rationale),
                workflow.SET_VERDICT,
                "You are not allowed to import claims with a verdict.",
            ),
            "assignee": (claim.assignee_id is not None, workflow.ASSIGN, "You are not allowed to assign claims."),
            "reviewer": (claim.reviewer_id is not None, workflow.ASSIGN, "You are not allowed to assign claims."),
            # A published claim is refused on its status already; this is one under correction.
            "published_verdict": (
                carries_published_verdict and claim.status != Status.PUBLISHED,
                workflow.PUBLISH,
                "You are not allowed to import published verdicts.",
            ),
            "tags": (bool(self.requested.get("tags")), workflow.TAG, "You are not allowed to tag claims."),
        }
        errors = {
            field: message
            for field, (given, permission, message) in refusals.items()
            if given and not self.user.has_perm(permission)
        }
        if claim.verdict_id is not None and not claim.rationale.strip():
            errors.setdefault("rationale", "Say why: a verdict needs its rationale.")
        if claim.verdict_id is None and workflow.needs_verdict(claim.status):
            errors.setdefault("verdict", f"A claim that is {Status(claim.status).label.lower()} needs a verdict.")
        if claim.status == Status.PUBLISHED:
            published = (claim.published_verdict_id, claim.published_rationale)
            if published != (claim.verdict_id, claim.rationale):
                errors.setdefault(
                    "published_verdict",
                    "A published claim shows the verdict readers see: its published verdict and rationale "
                    "must be its verdict and rationale.",
                )
            if claim.published_by_id is not None and claim.published_by_id == claim.verdict_by_id:
                errors.setdefault(
                    "published_by",
                    "The verdict was approved by the person who proposed it; a second person must approve it.",
                )
        if errors:
            raise ValidationError(errors)

    def record_new_claim(self, claim: Claim) -> None:
        claim.tags.set(Tag.objects.get_or_create(name=name)[0] for name in self.requested.get("tags", []))
        claim.record_arrival(by=self.user, origin=Origin.IMPORT)

    def apply_changes(self, claim: Claim) -> None:
        """Make the row's changes to an existing claim through the domain, as the importing user's."""
        requested = dict(self.requested)
        based_on = requested.pop("version", None)
        move = move_needing_a_note(claim, requested.get("status"))
        if move is not None:
            # A file has no place for the note these moves need (and readers see a correction's).
            raise ValidationError(
                {"status": f"An import cannot “{move.action}”: do it on the claim's page. {move.note_required}"},
                code="note_required",
            )
        if "tags" in requested:
            requested["tags"] = {Tag.objects.get_or_create(name=name)[0] for name in requested["tags"]}
        # The row's details were read into the claim and checked there; the domain saves them.
        wanted = {name: getattr(claim, name) for name in (*EDITABLE_DETAILS, *OFFSETS)} | requested
        try:
            change_claim(claim.pk, wanted, by=self.user, origin=Origin.IMPORT, based_on=based_on)
        except EditConflict as conflict:
            raise ValidationError(
                {
                    "version": f"This row was exported at version {based_on} of the claim, and since then "
                    f"{stale_message(conflict)}. Nothing of theirs was overwritten: export the claims again "
                    "and make your changes in the new file."
                },
                code="edit_conflict",
            ) from conflict
        # The import's preview compares the row with the claim as saved.
        claim.refresh_from_db()


def import_problems(result) -> list[str]:
    """Each problem of a failed import as one line: the row number, the field and the reason."""
    problems = [f"The file could not be imported: {error.error}" for error in result.base_errors]
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            label = "" if field == "__all__" else f"{field}: "
            problems += [f"Row {row.number}: {label}{message}" for message in messages]
    for row in result.error_rows:
        problems += [f"Row {row.number}: {error.error}" for error in row.errors]
    return problems
