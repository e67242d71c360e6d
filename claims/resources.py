"""How sources, claimants and claims travel as CSV, JSON and XLSX files.

An export is lossless: imported into an empty database (sources, then claimants,
then claims), it recreates the same rows, timestamps and ids included. An import is
all or nothing: one bad row and nothing is saved. On a claim that already exists,
status, verdict, assignee and tags change only through the domain methods, so each
change is checked against the workflow and lands in the claim's history.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import sanitize_separators
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats

from . import anchoring, roles, workflow
from .models import TAG_SEPARATOR, Claim, Claimant, Origin, Rating, Source, Tag, clean_tag_name
from .workflow import Status

# A claim's fields that change only through the domain methods, and the others.
WORKFLOW_FIELDS = ("status", "verdict", "rationale", "assignee", "tags")
PLAIN_FIELDS = [
    field.name for field in Claim._meta.concrete_fields if not field.primary_key and field.name not in WORKFLOW_FIELDS
]


def unanchored_message(claims: list[Claim]) -> str:
    """Why a source text cannot change: the claims it would unanchor, the first few named."""
    named = ", ".join(f"#{claim.pk} “{anchoring.shorten(claim.summary, 40)}”" for claim in claims[:5])
    more = f" and {len(claims) - 5} more" if len(claims) > 5 else ""
    return (
        f"This text moves or changes the quotes of {len(claims)} claim(s): {named}{more}. "
        "Keep their quoted words at the same offsets, or correct those claims first."
    )


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
    """A resource whose import saves every row or none, and which restores the
    timestamps of the rows it creates (they never rewrite a stored row's)."""

    TIMESTAMPS = ("created_at", "updated_at")
    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        **dict.fromkeys(["BigAutoField", "PositiveIntegerField", "PositiveSmallIntegerField"], WholeNumberWidget),
    }

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        self.creating = new

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.TIMESTAMPS and not self.creating:
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

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
        if not self.creating:
            broken = instance.claims_displaced_by(instance.text)
            if broken:
                raise ValidationError({"text": unanchored_message(broken)})


class ClaimantResource(AllOrNothingResource):
    class Meta:
        model = Claimant
        fields = ("id", "name", "kind", "role")
        clean_model_instances = True


class ClaimResource(AllOrNothingResource):
    """Claims, with their source by id, claimant by name, verdict by rating key,
    assignee by username and tags by name.

    A new claim is created as the file has it (restoring an export) and its history
    records the import. On an existing claim, status, verdict, assignee and tags are
    changed through the domain methods by the importing user, so a status the
    workflow does not allow that user to reach fails the row with the reason.
    """

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
    verdict = Field(
        attribute="verdict",
        column_name="verdict",
        widget=LookupWidget(Rating, "key", missing="“{}” is not the key of a rating."),
    )
    rationale = text_field("rationale")
    assignee = Field(
        attribute="assignee",
        column_name="assignee",
        widget=LookupWidget(
            get_user_model(),
            get_user_model().USERNAME_FIELD,
            queryset=roles.claim_workers,
            missing="“{}” is not a user who may work claims (an editor, reviewer or superuser).",
        ),
    )
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
            "created_at",
            "updated_at",
        )
        clean_model_instances = True

    def dehydrate_source(self, claim):
        # The id is on the claim; reading claim.source would load every source's text.
        return claim.source_id

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("claimant", "verdict", "assignee").prefetch_related("tags")

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        if self.user is None:
            raise ValueError("A claim import needs the importing user: import_data(..., user=request.user).")

    def before_import_row(self, row, **kwargs):
        self.requested = {}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Tags always wait for the saved claim; an existing claim's status, verdict and
        # assignee wait for the domain methods.
        if field.attribute == "tags" or (field.attribute in WORKFLOW_FIELDS and not self.creating):
            if field.column_name in row:
                self.requested[field.attribute] = field.clean(row, **kwargs)
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if self.creating:
            self.check_new_claim(instance)

    def do_instance_save(self, instance, is_create):
        if is_create:
            instance.save(force_insert=True)
        else:
            instance.save(update_fields=PLAIN_FIELDS)

    def save_m2m(self, instance, row, **kwargs):
        if self.creating:
            self.record_new_claim(instance)
        else:
            self.apply_changes(instance)

    def check_new_claim(self, claim: Claim) -> None:
        """A claim may arrive in any status, but only from a user allowed to put it
        there, and with the verdict that status needs on the desk."""
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
        if errors:
            raise ValidationError(errors)

    def record_new_claim(self, claim: Claim) -> None:
        claim.tags.set(Tag.objects.get_or_create(name=name)[0] for name in self.requested.get("tags", []))
        claim.record_arrival(by=self.user, origin=Origin.IMPORT)

    def apply_changes(self, claim: Claim) -> None:
        """Make the requested changes to an existing claim through the domain methods."""
        requested, by, origin = self.requested, self.user, Origin.IMPORT
        steps = {}
        if "assignee" in requested:
            steps["assignee"] = lambda: claim.assign(requested["assignee"], by=by, origin=origin)
        if "tags" in requested:
            tags = {Tag.objects.get_or_create(name=name)[0] for name in requested["tags"]}
            steps["tags"] = lambda: claim.set_tags(tags, by=by, origin=origin)
        verdict = requested.get("verdict", claim.verdict)
        rationale = requested.get("rationale", claim.rationale)
        if (getattr(verdict, "pk", None), rationale) != (claim.verdict_id, claim.rationale):
            steps["verdict"] = lambda: claim.set_verdict(verdict, by=by, rationale=rationale, origin=origin)
        status = requested.get("status", claim.status)
        if status != claim.status:
            steps["status"] = lambda: claim.transition(status, by=by, origin=origin)
        # A verdict is settled before the claim moves on (review and publishing need
        # one), unless the claim must first be reopened for its verdict to change.
        verdict_first = workflow.verdict_lock(claim) is None
        for field in ["assignee", "tags", *(["verdict", "status"] if verdict_first else ["status", "verdict"])]:
            if field not in steps:
                continue
            try:
                steps[field]()
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from error
            except PermissionDenied as error:
                raise ValidationError({field: str(error)}) from error


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
