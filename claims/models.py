"""What Claimdesk keeps: sources, claimants, claims with their verdicts, evidence,
annotations, corrections, the timeline of every change to a claim (ClaimEvent)
and, through django-simple-history, an audit row for every save and delete."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import anchoring, quantities, workflow
from .audit import AuditFields, Origin
from .workflow import Status


def audited(**kwargs) -> HistoricalRecords:
    """An audit trail for a model: every save and delete, with who, when, why and origin."""
    return HistoricalRecords(bases=[AuditFields], **kwargs)


colour_field_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give the colour as #rrggbb, e.g. #1c7c3a.")


def readable_text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` (#rrggbb), by its luminance."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#14202e" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


def darker(colour: str, factor: float = 0.55) -> str:
    """`colour` (#rrggbb) darkened, for a line that must stand out on the colour itself."""
    return "#" + "".join(f"{int(int(colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


class HttpsURLField(models.URLField):
    """A URL field whose forms read a scheme-less address as https (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class EventField(models.TextChoices):
    STATUS = "status", "Status"
    VERDICT = "verdict", "Verdict"
    ASSIGNEE = "assignee", "Assignee"
    REVIEWER = "reviewer", "Reviewer"
    TAGS = "tags", "Tags"
    CORRECTION = "correction", "Correction"
    # The claim's own words and links, edited in the admin.
    SUMMARY = "summary", "Summary"
    QUOTE = "quote", "Quote"
    CLAIMANT = "claimant", "Claimant"
    SOURCE = "source", "Source"
    KIND = "kind", "Kind"
    # Where the quote stands in its source, after the source's text was corrected.
    ANCHOR = "anchor", "Place in source"
    DUPLICATE = "duplicate", "Duplicate of"


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "News article"
    OFFICIAL_STATISTICS = "official_statistics", "Official statistics"
    INTERVIEW = "interview", "Interview"
    PRESS_RELEASE = "press_release", "Press release"
    DATASET = "dataset", "Dataset"
    TRANSCRIPT = "transcript", "Transcript"
    REPORT = "report", "Report"
    SOCIAL_MEDIA = "social_media", "Social media post"
    OTHER = "other", "Other"


class SourceState(models.TextChoices):
    READY = "ready", "Ready"
    QUEUED = "queued", "Waiting to be fetched"
    FETCHING = "fetching", "Fetching"
    FAILED = "failed", "Could not be fetched"


class SourceConflict(Exception):
    """A correction of a source's text based on a copy someone has changed since."""

    def __init__(self, source: Source, based_on: int):
        self.source = source
        self.based_on = based_on
        super().__init__(f"Source {source.pk} is at version {source.version}; the change was based on {based_on}.")


@dataclasses.dataclass
class Reanchoring:
    """What correcting a source's text did to its claims: each claim's new place, or none."""

    kept: list[Claim] = dataclasses.field(default_factory=list)
    moved: list[tuple[Claim, anchoring.Relocation]] = dataclasses.field(default_factory=list)
    orphaned: list[Claim] = dataclasses.field(default_factory=list)


class Source(models.Model):
    """A document claims come from or evidence lives in."""

    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    url = HttpsURLField("URL", max_length=2000, blank=True)
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.NEWS_ARTICLE)
    published_on = models.DateField(null=True, blank=True, help_text="Leave empty when the source does not say.")
    text = models.TextField(blank=True, help_text="The full text as received; claims point into it by offset.")
    # A source added by its address is fetched in the background (claims.tasks).
    state = models.CharField(max_length=16, choices=SourceState.choices, default=SourceState.READY, editable=False)
    fetch_error = models.TextField(blank=True, editable=False, help_text="Why the last fetch failed.")
    fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    suggestions_queued_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set while the worker looks for the sentences worth checking."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # Every correction of the text adds one, so a correction based on an older copy is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited(excluded_fields=["suggestions_queued_at"])  # bookkeeping, not the source's content

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="source_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=SourceState.values), name="source_state_valid"),
        ]

    def __str__(self):
        return f"{self.title} ({self.outlet})" if self.outlet else self.title

    def get_absolute_url(self):
        return reverse("claims:source_detail", args=[self.pk])

    def receive_fetched(self, *, text: str, title: str, outlet: str, published_on, final_url: str) -> None:
        """Fill in what a background fetch found; the source becomes readable."""
        self.text = text
        self.title = (title or self.title)[:300]
        self.outlet = self.outlet or outlet[:200]
        self.published_on = self.published_on or published_on
        self.url = final_url[:2000]
        self.state = SourceState.READY
        self.fetch_error = ""
        self.fetched_at = timezone.now()
        self._history_user = self.added_by
        self.save()

    def correct_text(self, text: str, *, by, based_on: int | None = None, origin: str = Origin.DESK) -> Reanchoring:
        """Replace the text and place every claim on it again: at its offsets, else by
        its quote and context, else by a fuzzy match; a claim that cannot be placed is
        flagged as orphaned, never dropped. Refused with SourceConflict if someone else
        corrected the text since version `based_on`."""
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if based_on is not None and current.version != based_on:
                raise SourceConflict(current, based_on)
            if text == current.text:
                raise ValidationError("The text is unchanged.", code="unchanged")
            if not text.strip():
                raise ValidationError("A source's text cannot be emptied: its claims quote it.", code="empty_text")
            old_text = current.text
            self.text = text
            self.version = current.version + 1
            self.state = SourceState.READY
            self._history_user = by
            self.save(update_fields=["text", "version", "state", "updated_at"])
            outcome = Reanchoring()
            for claim in self.claims.order_by("quote_start", "id"):
                claim.source = self
                relocation = claim.reanchor(old_text, by=by, origin=origin)
                if relocation is None:
                    outcome.orphaned.append(claim)
                elif relocation.method == "position" and relocation.quote == claim.quote:
                    outcome.kept.append(claim)
                else:
                    outcome.moved.append((claim, relocation))
            from . import suggesting  # suggesting builds on these models

            suggesting.refresh_after_correction(self)
            return outcome

    def claims_displaced_by(self, text: str) -> list[Claim]:
        """The claims whose quotes would no longer stand at their offsets if the text became `text`."""
        displaced = []
        for claim in self.claims.only("pk", "summary", "quote", "quote_start", "quote_end", "source_id"):
            try:
                anchoring.check_anchor(text, claim.quote, claim.quote_start, claim.quote_end)
            except ValidationError:
                displaced.append(claim)
        return displaced


class ClaimantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Claimant(models.Model):
    """Who made a claim: a person or an organisation."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ClaimantKind.choices, default=ClaimantKind.PERSON)
    role = models.CharField(max_length=200, blank=True, help_text="Title or role, as the source gives it.")

    history = audited()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Imports and the desk find claimants by name, so a name means one claimant.
            models.UniqueConstraint(
                Lower("name"),
                name="claimant_name_unique_ci",
                violation_error_message="A claimant with this name already exists (names are compared ignoring case).",
            ),
            models.CheckConstraint(condition=Q(kind__in=ClaimantKind.values), name="claimant_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('claims:claim_list')}?claimant={self.pk}"


TAG_SEPARATOR = ","  # how files list a claim's tags
TAG_NAME_LENGTH = 64


def clean_tag_name(value: str) -> str:
    """A tag's name as stored (trimmed, lower case), or a ValidationError saying why it cannot be one."""
    name = value.strip().lower()
    if not name:
        raise ValidationError("A tag needs a name.", code="tag_empty")
    if TAG_SEPARATOR in name:
        raise ValidationError(
            f"“{name}” has a comma; files list tags separated by commas, so a tag name cannot hold one.",
            code="tag_comma",
        )
    if len(name) > TAG_NAME_LENGTH:
        raise ValidationError(
            f"“{anchoring.shorten(name)}” is longer than {TAG_NAME_LENGTH} characters.", code="tag_too_long"
        )
    return name


class Tag(models.Model):
    name = models.CharField(max_length=TAG_NAME_LENGTH, unique=True)

    history = audited()

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name__contains=TAG_SEPARATOR), name="tag_name_no_comma")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip().lower()
        super().save(*args, **kwargs)

    def clean(self):
        self.name = clean_tag_name(self.name)


class RatingManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Rating(models.Model):
    """One step of the rating scale a verdict is given on."""

    key = models.SlugField(max_length=32, unique=True)
    label = models.CharField(max_length=64)
    value = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Higher means truer. Empty for verdicts off the true–false scale, such as unverifiable.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in menus and on the desk.")
    colour = models.CharField(
        max_length=7, default="#6b7280", validators=[colour_field_validator], help_text="The badge's colour, #rrggbb."
    )
    description = models.CharField(max_length=300, blank=True)

    objects = RatingManager()
    history = audited()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.key,)

    @property
    def text_colour(self) -> str:
        return readable_text_colour(self.colour)


class StatusStyleQuerySet(models.QuerySet):
    def labels(self) -> dict[str, str]:
        """Each status's name as the newsroom set it, falling back to the built-in one."""
        return {**dict(Status.choices), **dict(self.values_list("status", "label"))}


class StatusStyle(models.Model):
    """How a workflow status is named, coloured and ordered on this desk.

    The statuses and the moves between them are fixed by `claims.workflow`;
    admins decide what they are called and how they look."""

    status = models.CharField(max_length=20, choices=Status.choices, unique=True, editable=False)
    label = models.CharField(max_length=64)
    colour = models.CharField(
        max_length=7, validators=[colour_field_validator], help_text="The badge's background colour, #rrggbb."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of the status tabs on the desk.")
    description = models.CharField(max_length=300, blank=True, help_text="Shown when pointing at the badge.")

    objects = StatusStyleQuerySet.as_manager()
    history = audited()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "status"
        constraints = [models.CheckConstraint(condition=Q(status__in=Status.values), name="statusstyle_status_valid")]

    def __str__(self):
        return self.label

    @property
    def text_colour(self) -> str:
        return readable_text_colour(self.colour)

    @property
    def edge_colour(self) -> str:
        return darker(self.colour)


class ClaimQuerySet(models.QuerySet):
    def recheck_numbers(self, batch_size: int = 2000) -> int:
        """Recompute the arithmetic check of every claim in the queryset, for rows written
        without Claim.save() (fixtures, bulk loads); returns how many changed."""
        changed = []
        for claim in self.only("pk", "quote", "numbers_check").iterator(chunk_size=batch_size):
            check = numbers_check_of(claim.quote)
            if check != claim.numbers_check:
                claim.numbers_check = check
                changed.append(claim)
        self.model.objects.bulk_update(changed, ["numbers_check"], batch_size=batch_size)
        return len(changed)

    def transition_all(self, target: str, *, by, note: str = "", origin: str = Origin.DESK):
        """Move every claim of the queryset to `target`, each checked against the workflow
        as `Claim.transition` checks it, in one transaction. Plain moves are written in bulk
        (one update, and the timeline and audit rows by bulk insert), so thousands of claims
        take seconds; publishing and corrections go claim by claim. Returns the claims
        moved and, for each claim refused, the error saying why."""
        labels = StatusStyle.objects.labels()
        moved, refused, plain = [], [], []
        with transaction.atomic():
            claims = (
                Claim.objects.filter(pk__in=self.values("pk"))
                .select_for_update(of=("self",))
                .select_related("verdict")
                .annotate(evidence_exists=models.Exists(Evidence.objects.filter(claim=models.OuterRef("pk"))))
                .order_by("pk")
            )
            for claim in claims:
                claim._has_evidence = claim.evidence_exists
                try:
                    move = workflow.check_transition(claim, target, by, note, labels=labels)
                except (ValidationError, PermissionDenied) as error:
                    refused.append((claim, error))
                    continue
                if move.opens_correction or target == Status.PUBLISHED:
                    claim.transition(target, by=by, note=note, origin=origin)
                    moved.append(claim)
                else:
                    plain.append(claim)
            if plain:
                self._move_in_bulk(plain, target, by, note, origin, labels)
                moved += plain
        return moved, refused

    @staticmethod
    def _move_in_bulk(claims, target, by, note, origin, labels) -> None:
        now = timezone.now()
        old_statuses = {claim.pk: claim.status for claim in claims}
        for batch in range(0, len(claims), 5000):
            pks = [claim.pk for claim in claims[batch : batch + 5000]]
            Claim.objects.filter(pk__in=pks).update(
                status=target, version=F("version") + 1, changed_by=by, updated_at=now
            )
        for claim in claims:
            claim.status, claim.version, claim.changed_by, claim.updated_at = target, claim.version + 1, by, now
        Claim.history.bulk_history_create(
            claims, update=True, default_user=by, default_date=now, custom_historical_attrs={"history_origin": origin}
        )
        ClaimEvent.objects.bulk_create(
            (
                ClaimEvent(
                    claim=claim,
                    field=EventField.STATUS,
                    old_value=old_statuses[claim.pk],
                    new_value=target,
                    old_label=labels[old_statuses[claim.pk]],
                    new_label=labels[target],
                    note=note,
                    actor=by,
                    origin=origin,
                    at=now,
                    version=claim.version,
                )
                for claim in claims
            ),
            batch_size=5000,
        )

    def for_list(self):
        # The desk shows a source's title; its text (often many kilobytes) stays in the database.
        return (
            self.select_related("source", "claimant", "verdict", "assignee", "reviewer")
            .defer("source__text")
            .prefetch_related("tags")
        )

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, number of claims) for every status, in the desk's order."""
        counts = dict(self.order_by().values_list("status").annotate(n=Count("id")))
        return [(status, label, counts.get(status, 0)) for status, label in status_tabs()]


def status_tabs() -> list[tuple[str, str]]:
    """(status, label) in the order the newsroom set, any status without a style last."""
    styled = list(StatusStyle.objects.values_list("status", "label"))
    seen = {status for status, _ in styled}
    return styled + [(status.value, status.label) for status in workflow.STATUS_ORDER if status not in seen]


class ClaimKind(models.TextChoices):
    STATISTIC = "statistic", "Statistic"
    QUOTATION = "quotation", "Attributed statement"
    EVENT = "event", "Event"
    HISTORY = "history", "Historical fact"
    PROMISE = "promise", "Promise or plan"
    PREDICTION = "prediction", "Prediction"
    OTHER = "other", "Other"


class NumbersCheck(models.TextChoices):
    """What the arithmetic check of a claim's quote found (claims/quantities.py)."""

    NONE = "", "Nothing to check"
    CONSISTENT = "consistent", "The numbers add up"
    INCONSISTENT = "inconsistent", "The numbers do not add up"


def numbers_check_of(text: str) -> str:
    check = quantities.check_arithmetic(text)
    if check is None:
        return NumbersCheck.NONE
    return NumbersCheck.CONSISTENT if check.consistent else NumbersCheck.INCONSISTENT


class EditConflict(Exception):
    """A change based on a copy of the claim that someone else has changed since.

    Carries the claim as stored now, the version the change was based on and who
    tried it, so the person can see what the others changed (`changes`) and decide again."""

    def __init__(self, claim: Claim, based_on: int, by=None):
        self.claim = claim
        self.based_on = based_on
        self.by = by
        super().__init__(f"Claim {claim.pk} is at version {claim.version}; this change was based on {based_on}.")

    @property
    def changes(self):
        return changes_by_others(self.claim, self.based_on, self.by).select_related("actor").order_by("at", "id")


def changes_by_others(claim: Claim, since_version: int, person):
    """The timeline entries made after `since_version` by anyone but `person`."""
    changes = claim.events.filter(version__gt=since_version)
    return changes.exclude(actor=person) if person is not None else changes


# Fields an admin may edit directly, which the timeline reports; everything else
# about a claim changes through the workflow methods below.
EDITABLE_DETAILS = {
    "summary": EventField.SUMMARY,
    "quote": EventField.QUOTE,
    "claimant": EventField.CLAIMANT,
    "source": EventField.SOURCE,
    "kind": EventField.KIND,
}


class Claim(models.Model):
    """A statement worth checking, anchored to the exact words of its source."""

    summary = models.CharField(max_length=300, help_text="The claim in the editor's words.")
    quote = models.TextField(help_text="The claim verbatim, exactly as the source text has it.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    quote_start = models.PositiveIntegerField(help_text="Offset of the quote's first character in the source text.")
    quote_end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    quote_prefix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    quote_suffix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    orphaned_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a correction of the source's text left the quote nowhere to be found; "
        "the claim keeps its last quote and offsets until it is placed again.",
    )
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    kind = models.CharField(max_length=16, choices=ClaimKind.choices, default=ClaimKind.STATISTIC)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    verdict = models.ForeignKey(Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    rationale = models.TextField(blank=True, help_text="Why the verdict is what it is.")
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who proposed the current verdict; someone else must approve it.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims_to_review",
        help_text="Who is asked to approve the verdict.",
    )
    # What readers see: the verdict as last approved. It stays while a correction is worked on.
    published_verdict = models.ForeignKey(
        Rating, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    published_rationale = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    corrected_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a correction was last published."
    )
    numbers_check = models.CharField(
        max_length=16,
        choices=NumbersCheck.choices,
        blank=True,
        default=NumbersCheck.NONE,
        editable=False,
        help_text="Whether a part, a total and a share stated in the quote agree; kept with the quote.",
    )
    duplicate_of = models.ForeignKey(
        "self",
        # Deleting the original leaves its duplicates standing alone, with the verdict they had.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="duplicates",
        help_text="The claim this one repeats: its verdict follows that claim's.",
    )
    # Every change through the methods below adds one, so a change based on an
    # older copy is caught (see EditConflict) instead of overwriting someone's work.
    version = models.PositiveIntegerField(default=1, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = audited(m2m_fields=[tags])

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("change_claim_status", "Can move a claim through the workflow"),
            ("set_claim_verdict", "Can set a claim's verdict"),
            ("publish_claim", "Can approve and publish a claim"),
            ("assign_claim", "Can assign claims"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quote_end__gt=F("quote_start")), name="claim_quote_not_empty"),
            models.CheckConstraint(
                condition=Q(quote_end=F("quote_start") + Length("quote")),
                name="claim_offsets_span_quote",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="claim_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(numbers_check__in=NumbersCheck.values), name="claim_numbers_check_valid"
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="claim_not_its_own_duplicate"),
        ]
        indexes = [
            # The desk's "numbers do not add up" filter: few claims, so a partial index.
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(numbers_check=NumbersCheck.INCONSISTENT),
                name="claim_numbers_inconsistent",
            ),
            models.Index(fields=["status", "-updated_at"], name="claim_status_updated"),
            models.Index(fields=["-updated_at", "-id"], name="claim_updated"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status"),
            models.Index(fields=["reviewer", "status"], name="claim_reviewer_status"),
            models.Index(fields=["source", "quote_start"], name="claim_source_position"),
        ]

    def __str__(self):
        return self.summary

    def save(self, *args, **kwargs):
        # The arithmetic check is derived from the quote alone: kept with it on every
        # write of the quote (capture, admin edits, re-anchoring, imports), and only then.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "quote" in update_fields:
            self.numbers_check = numbers_check_of(self.quote)
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "numbers_check"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:claim_detail", args=[self.pk])

    def arithmetic(self) -> quantities.ArithmeticCheck | quantities.ChangeCheck | None:
        """The part, total and share the quote states (or the change between two values), and whether they agree."""
        return quantities.check_arithmetic(self.quote)

    def clean(self):
        if self.is_orphaned:
            return  # its offsets point into an older text; it is placed again from the reader
        if self.source_id is not None and self.quote_start is not None and self.quote_end is not None:
            try:
                anchoring.check_anchor(self.source.text, self.quote, self.quote_start, self.quote_end)
            except ValidationError as error:
                raise ValidationError({"quote": error}) from error
            self.quote_prefix, self.quote_suffix = anchoring.context_around(
                self.source.text, self.quote_start, self.quote_end
            )

    @property
    def is_orphaned(self) -> bool:
        return self.orphaned_at is not None

    def passage(self) -> anchoring.Passage:
        return anchoring.passage_around(self.source.text, self.quote_start, self.quote_end)

    def has_evidence(self) -> bool:
        if not hasattr(self, "_has_evidence"):
            self._has_evidence = self.evidence.exists()
        return self._has_evidence

    @property
    def under_correction(self) -> bool:
        """Published before and being worked on again: readers still see the published verdict."""
        return self.published_at is not None and self.status != Status.PUBLISHED

    # Every change to status, verdict, assignment and tags goes through these
    # methods, so each is checked against the workflow and lands in the history.
    # `based_on` is the version the person saw; a change based on an older one
    # raises EditConflict and changes nothing.

    def transition(
        self, target: str, *, by, note: str = "", origin: str = Origin.DESK, based_on: int | None = None
    ) -> ClaimEvent:
        with transaction.atomic():
            current = self._lock(based_on, by)
            move = workflow.check_transition(current, target, by, note, labels=StatusStyle.objects.labels())
            old = current.status
            self.status = target
            changed = ["status"]
            if move.opens_correction:
                Correction.objects.create(
                    claim=self,
                    reason=note.strip(),
                    opened_by=by,
                    old_verdict=current.published_verdict,
                    old_rationale=current.published_rationale,
                )
            if target == Status.PUBLISHED:
                correction = self._publish(current, by)
                changed += ["published_verdict", "published_rationale", "published_at", "published_by", "corrected_at"]
            self._bump(current, by, changed)
            labels = StatusStyle.objects.labels()
            event = self._record(EventField.STATUS, old, target, labels[old], labels[target], by, note, origin)
            if target == Status.PUBLISHED and correction is not None:
                self._record(
                    EventField.CORRECTION,
                    correction.old_verdict.key if correction.old_verdict else "",
                    correction.new_verdict.key if correction.new_verdict else "",
                    str(correction.old_verdict or ""),
                    str(correction.new_verdict or ""),
                    by,
                    correction.reason,
                    origin,
                )
            return event

    def _publish(self, current: Claim, by) -> Correction | None:
        """Make the verdict the one readers see; complete the correction if one is open."""
        now = timezone.now()
        self.published_verdict = current.verdict
        self.published_rationale = current.rationale
        self.published_at = now
        self.published_by = by
        correction = self.corrections.filter(published_at__isnull=True).order_by("-opened_at").first()
        if correction is not None:
            correction.new_verdict = current.verdict
            correction.new_rationale = current.rationale
            correction.published_by = by
            correction.published_at = now
            correction.save()
            self.corrected_at = now
        return correction

    def set_verdict(
        self, rating: Rating | None, *, by, rationale: str, origin: str = Origin.DESK, based_on: int | None = None
    ) -> ClaimEvent:
        rationale = rationale.strip()
        if not rationale:
            raise ValidationError({"rationale": "Say why: a verdict needs its rationale."}, code="rationale_missing")
        with transaction.atomic():
            current = self._lock(based_on, by)
            workflow.check_verdict_change(current, by)
            if current.verdict_id == (rating.pk if rating else None) and current.rationale == rationale:
                raise ValidationError("The verdict and its rationale are unchanged.", code="unchanged")
            old = current.verdict
            self.verdict = rating
            self.rationale = rationale
            self.verdict_by = by
            self._bump(current, by, ["verdict", "rationale", "verdict_by"])
            event = self._record(
                EventField.VERDICT,
                old.key if old else "",
                rating.key if rating else "",
                old.label if old else "",
                rating.label if rating else "",
                by,
                rationale,
                origin,
            )
            for duplicate in self.duplicates.order_by("pk"):
                duplicate._follow_verdict(self, by=by, origin=origin)
            return event

    def assign(
        self, user, *, by, note: str = "", origin: str = Origin.DESK, based_on: int | None = None
    ) -> ClaimEvent | None:
        workflow.check_assignment(by)
        return self._set_person("assignee", EventField.ASSIGNEE, user, by, note, origin, based_on)

    def assign_reviewer(
        self, user, *, by, note: str = "", origin: str = Origin.DESK, based_on: int | None = None
    ) -> ClaimEvent | None:
        workflow.check_assignment(by)
        workflow.check_reviewer(user)
        return self._set_person("reviewer", EventField.REVIEWER, user, by, note, origin, based_on)

    def _set_person(self, field_name, event_field, user, by, note, origin, based_on) -> ClaimEvent | None:
        with transaction.atomic():
            current = self._lock(based_on, by)
            old = getattr(current, field_name)
            if getattr(current, f"{field_name}_id") == (user.pk if user else None):
                return None
            setattr(self, field_name, user)
            self._bump(current, by, [field_name])
            old_name = old.get_username() if old else ""
            new_name = user.get_username() if user else ""
            return self._record(event_field, old_name, new_name, old_name, new_name, by, note, origin)

    def add_tag(self, tag: Tag, *, by, origin: str = Origin.DESK, based_on: int | None = None) -> ClaimEvent | None:
        return self._change_tags(tag, True, by, origin, based_on)

    def remove_tag(self, tag: Tag, *, by, origin: str = Origin.DESK, based_on: int | None = None) -> ClaimEvent | None:
        return self._change_tags(tag, False, by, origin, based_on)

    def _change_tags(self, tag, adding, by, origin, based_on) -> ClaimEvent | None:
        workflow.check_tagging(by)
        with transaction.atomic():
            current = self._lock(based_on, by)
            if self.tags.filter(pk=tag.pk).exists() == adding:
                return None
            (self.tags.add if adding else self.tags.remove)(tag)
            self._bump(current, by, [])
            old, new = ("", tag.name) if adding else (tag.name, "")
            return self._record(EventField.TAGS, old, new, old, new, by, "", origin)

    def set_tags(self, tags, *, by, origin: str = Origin.DESK, based_on: int | None = None) -> None:
        """Give the claim exactly these tags, each one added or removed recorded."""
        with transaction.atomic():
            self._lock(based_on, by)
            current = set(self.tags.all())
            for tag in sorted(set(tags) - current, key=str):
                self.add_tag(tag, by=by, origin=origin)
            for tag in sorted(current - set(tags), key=str):
                self.remove_tag(tag, by=by, origin=origin)

    def edit_details(self, changes: dict, *, by, origin: str = Origin.ADMIN, based_on: int | None = None) -> None:
        """Change the claim's own words or links (EDITABLE_DETAILS), each change in the timeline.

        A new quote or source comes with its offsets (`quote_start`, `quote_end` in `changes`)."""
        with transaction.atomic():
            current = self._lock(based_on, by)
            events = []
            for name, value in changes.items():
                setattr(self, name, value)
                if name in EDITABLE_DETAILS and getattr(current, name) != value:
                    events.append((EDITABLE_DETAILS[name], getattr(current, name), value))
            if not events:
                return
            self.full_clean(exclude=["tags"])
            fields = [name for name in changes if name in EDITABLE_DETAILS]
            if "quote" in fields or "source" in fields:
                fields += ["quote_start", "quote_end", "quote_prefix", "quote_suffix"]
            self._bump(current, by, fields)
            for field, old, new in events:
                old_value, new_value = (str(getattr(v, "pk", v) or "") for v in (old, new))
                self._record(field, old_value[:150], new_value[:150], _label(old), _label(new), by, "", origin)

    @classmethod
    def capture(
        cls, source: Source, start: int, end: int, *, quote: str, by, origin: str = Origin.DESK, **details
    ) -> Claim:
        """A new claim quoting source.text[start:end], as selected in the reader.

        `quote` is what the person selected: if the text changed since they
        loaded it, the quote is looked for again by its context rather than
        taking whatever now stands at the old offsets."""
        with transaction.atomic():
            source = Source.objects.select_for_update().get(pk=source.pk)
            start, end = anchoring.locate_selection(source.text, quote, start, end)
            claim = cls(source=source, quote=quote, quote_start=start, quote_end=end, changed_by=by, **details)
            claim.full_clean(exclude=["tags"])
            claim._history_user = by
            claim.save()
            claim.record_arrival(by=by, origin=origin)
            return claim

    def reanchor(self, old_text: str, *, by, origin: str = Origin.DESK) -> anchoring.Relocation | None:
        """Find the quote again after the source's text changed from `old_text` (already
        saved on self.source); move the claim there, or flag it as orphaned."""
        with transaction.atomic():
            current = self._lock(None, by)
            text = self.source.text
            relocation = anchoring.relocate(
                text,
                quote=current.quote,
                start=current.quote_start,
                end=current.quote_end,
                prefix=current.quote_prefix,
                suffix=current.quote_suffix,
                # An orphan's offsets point into an even older text than old_text.
                old_text=None if current.is_orphaned else old_text,
            )
            if relocation is None:
                if not current.is_orphaned:
                    self.orphaned_at = timezone.now()
                    self._bump(current, by, ["orphaned_at"])
                    self._record(
                        EventField.ANCHOR,
                        _span(current),
                        "",
                        f"characters {_span(current)}",
                        "not found (orphaned)",
                        by,
                        "The source's text was corrected and the quote is no longer in it.",
                        origin,
                    )
                return None
            self._move_quote(current, relocation.start, relocation.end, by, origin, relocation.method)
            return relocation

    def place(self, start: int, end: int, *, quote: str, by, origin: str = Origin.DESK, based_on=None) -> None:
        """Anchor the claim to source.text[start:end] chosen by a person (an orphan found again)."""
        with transaction.atomic():
            current = self._lock(based_on, by)
            workflow.check_quote_change(current, by)
            start, end = anchoring.locate_selection(self.source.text, quote, start, end)
            self._move_quote(current, start, end, by, origin, "placed by hand")

    def _move_quote(self, current: Claim, start: int, end: int, by, origin: str, method: str) -> None:
        text = self.source.text
        prefix, suffix = anchoring.context_around(text, start, end)
        moved = (start, end, text[start:end]) != (current.quote_start, current.quote_end, current.quote)
        if not moved and not current.is_orphaned:
            if (prefix, suffix) != (current.quote_prefix, current.quote_suffix):
                # Same words at the same place, new surroundings: keep the context current, quietly.
                type(self).objects.filter(pk=self.pk).update(quote_prefix=prefix, quote_suffix=suffix)
                self.quote_prefix, self.quote_suffix = prefix, suffix
            return
        self.quote_start, self.quote_end, self.quote = start, end, text[start:end]
        self.quote_prefix, self.quote_suffix = prefix, suffix
        self.orphaned_at = None
        fields = ["quote", "quote_start", "quote_end", "quote_prefix", "quote_suffix", "orphaned_at"]
        self._bump(current, by, fields)
        note = f"Found by {method}."
        if self.quote != current.quote:
            note += f" The quote now reads “{anchoring.shorten(self.quote, 120)}”"
            note += f" (it read “{anchoring.shorten(current.quote, 120)}”)."
        old_label = "not found (orphaned)" if current.is_orphaned else f"characters {_span(current)}"
        self._record(
            EventField.ANCHOR, _span(current), _span(self), old_label, f"characters {_span(self)}", by, note, origin
        )

    # Duplicates: a claim that repeats another (worded differently, meaning the same)
    # points to it and takes its verdict, now and whenever that verdict changes.

    def mark_duplicate(self, original: Claim, *, by, origin: str = Origin.DESK, based_on: int | None = None) -> None:
        with transaction.atomic():
            current = self._lock(based_on, by)
            original = type(self).objects.select_related("verdict").get(pk=original.pk)
            workflow.check_duplicate(current, original, by, has_duplicates=current.duplicates.exists())
            self.duplicate_of = original
            self._bump(current, by, ["duplicate_of"])
            self._record(EventField.DUPLICATE, "", str(original.pk), "", f"#{original.pk} {original}", by, "", origin)
            self._follow_verdict(original, by=by, origin=origin)

    def unmark_duplicate(self, *, by, origin: str = Origin.DESK, based_on: int | None = None) -> None:
        """Not a duplicate after all: the claim keeps the verdict it followed, now its own to change."""
        with transaction.atomic():
            current = self._lock(based_on, by)
            workflow.check_duplicate_removal(current, by)
            original = current.duplicate_of
            self.duplicate_of = None
            self._bump(current, by, ["duplicate_of"])
            self._record(EventField.DUPLICATE, str(original.pk), "", f"#{original.pk} {original}", "", by, "", origin)

    def _follow_verdict(self, original: Claim, *, by, origin: str) -> None:
        """Take the original's verdict and rationale, if it has one and they differ from this
        claim's (an original without a verdict yet leaves the duplicate's as it is, until it has one)."""
        with transaction.atomic():
            current = self._lock(None, by)
            if original.verdict_id is None:
                return
            if (current.verdict_id, current.rationale) == (original.verdict_id, original.rationale):
                return
            old, new = current.verdict, original.verdict
            self.verdict, self.rationale, self.verdict_by = new, original.rationale, by
            self._bump(current, by, ["verdict", "rationale", "verdict_by"])
            self._record(
                EventField.VERDICT,
                old.key if old else "",
                new.key if new else "",
                old.label if old else "",
                new.label if new else "",
                by,
                f"Follows the verdict of #{original.pk}, of which this claim is a duplicate.",
                origin,
            )

    def record_arrival(self, *, by, origin: str) -> None:
        """Record in the history the status, verdict, assignee and tags a claim arrived
        with, for a claim created with them already set (a restored export)."""
        labels = StatusStyle.objects.labels()
        arrived = [(EventField.STATUS, self.status, labels[self.status], "")]
        if self.verdict_id is not None:
            arrived.append((EventField.VERDICT, self.verdict.key, self.verdict.label, self.rationale))
        if self.assignee_id is not None:
            username = self.assignee.get_username()
            arrived.append((EventField.ASSIGNEE, username, username, ""))
        arrived += [(EventField.TAGS, tag.name, tag.name, "") for tag in self.tags.all()]
        ClaimEvent.objects.bulk_create(
            ClaimEvent(
                claim=self,
                field=field,
                new_value=value,
                new_label=label,
                note=note,
                actor=by,
                origin=origin,
                version=self.version,
            )
            for field, value, label, note in arrived
        )

    def _lock(self, based_on: int | None = None, by=None) -> Claim:
        """The claim as stored, locked until the transaction ends, so a rule is
        checked against what is in the database and not a stale copy; refused
        with EditConflict if it changed since version `based_on`."""
        current = (
            type(self)
            .objects.select_for_update(of=("self",))
            .select_related("verdict", "assignee", "reviewer", "published_verdict")
            .get(pk=self.pk)
        )
        # A person has seen their own changes (made in another panel of the same
        # page, say): only someone else's change since `based_on` is a conflict.
        if based_on is not None and current.version != based_on and changes_by_others(current, based_on, by).exists():
            raise EditConflict(current, based_on, by)
        # Work on the stored values from here on: the audit trail copies every field
        # of this instance, and a caller's copy may be older than the locked row.
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(current, field.attname))
        return current

    def _bump(self, current: Claim, by, fields: list[str]) -> None:
        """Save `fields` and the next version, so copies older than this one are refused."""
        self.version = current.version + 1
        self.changed_by = by
        self._history_user = by
        self.save(update_fields=[*fields, "version", "changed_by", "updated_at"])

    def _record(self, field, old_value, new_value, old_label, new_label, by, note, origin) -> ClaimEvent:
        return ClaimEvent.objects.create(
            claim=self,
            field=field,
            old_value=old_value,
            new_value=new_value,
            old_label=old_label,
            new_label=new_label,
            note=note,
            actor=by,
            origin=origin,
            version=self.version,
        )


def _span(claim: Claim) -> str:
    return f"{claim.quote_start}–{claim.quote_end}"


def _label(value) -> str:
    return anchoring.shorten(str(value), 150) if value not in (None, "") else ""


class Correction(models.Model):
    """A change to a published verdict: what it was, what it became, why, and who
    opened and approved it. It stays with the claim wherever its verdict is shown."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField(help_text="What needed correcting and why.")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    old_verdict = models.ForeignKey(Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    old_rationale = models.TextField(blank=True)
    new_verdict = models.ForeignKey(Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    new_rationale = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the correction is worked on.")

    history = audited()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason")]

    def __str__(self):
        return f"Correction of “{anchoring.shorten(self.claim.summary, 60)}”"

    @property
    def is_open(self) -> bool:
        return self.published_at is None

    @property
    def verdict_changed(self) -> bool:
        return self.old_verdict_id != self.new_verdict_id


class ClaimVisit(models.Model):
    """When a person last looked at a claim, so the desk can show what others changed since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="visits")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "claim"], name="claimvisit_once_per_user")]

    def __str__(self):
        return f"{self.user} saw claim {self.claim_id} at {self.seen_at:%Y-%m-%d %H:%M}"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Adds context"


class Evidence(models.Model):
    """A source or web page that bears on a claim, with the part that matters."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="cited_as_evidence"
    )
    url = HttpsURLField("URL", max_length=2000, blank=True)
    stance = models.CharField(max_length=16, choices=Stance.choices)
    excerpt = models.TextField(max_length=5000, blank=True, help_text="The words of the evidence that matter.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(condition=Q(source__isnull=False) | ~Q(url=""), name="evidence_has_source_or_url"),
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="evidence_stance_valid"),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.source or self.url}"

    def clean(self):
        if self.source_id is None and not self.url:
            raise ValidationError("Give the evidence a source or a URL.", code="evidence_without_origin")

    @property
    def link(self) -> str:
        return self.url or (self.source.url if self.source else "")


class Annotation(models.Model):
    """An editor's note on a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="annotations"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audited()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="annotation_body_not_empty")]

    def __str__(self):
        return anchoring.shorten(self.body, 80)

    @property
    def was_edited(self) -> bool:
        return self.version > 1

    def edit(self, body: str, *, by, based_on: int | None = None) -> None:
        """Replace the note's text, refusing with AnnotationConflict if it changed since version `based_on`."""
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if based_on is not None and current.version != based_on:
                raise AnnotationConflict(current, based_on)
            self.body = body
            self.version = current.version + 1
            self._history_user = by
            self.save(update_fields=["body", "version", "updated_at"])


class AnnotationConflict(Exception):
    """An edit of a note based on a copy that has been changed since (in another tab, say)."""

    def __init__(self, annotation: Annotation, based_on: int):
        self.annotation = annotation
        self.based_on = based_on
        super().__init__(f"Note {annotation.pk} is at version {annotation.version}; the edit was based on {based_on}.")


class ClaimEvent(models.Model):
    """One change to a claim (status, verdict, people, tags, corrections, its own words): its timeline.

    Values are kept as keys (for queries and exports) and as the labels they had
    at the time (for reading), so renaming a rating later does not rewrite history.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    field = models.CharField(max_length=16, choices=EventField.choices)
    old_value = models.CharField(max_length=150, blank=True)
    new_value = models.CharField(max_length=150, blank=True)
    old_label = models.CharField(max_length=150, blank=True)
    new_label = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True, help_text="The rationale given for the change.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.DESK)
    at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(null=True, blank=True, help_text="The claim's version this change made.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["claim", "-at"], name="claimevent_claim_at")]
        constraints = [
            models.CheckConstraint(condition=Q(field__in=EventField.values), name="claimevent_field_valid"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="claimevent_origin_valid"),
        ]

    def __str__(self):
        return f"{self.get_field_display()}: {self.old_label or '—'} → {self.new_label or '—'}"


class SuggestionState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(models.Model):
    """A sentence of a source that Claimdesk proposes to check (claims/suggesting.py), with
    why. An editor accepts it (it becomes a claim) or dismisses it; either way it is kept,
    by its words, so the same sentence is never proposed again for that source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField(help_text="Offset of the sentence's first character in the source text.")
    end = models.PositiveIntegerField()
    sentence = models.TextField()
    fingerprint = models.CharField(max_length=64, help_text="The sentence's words, hashed: how it is recognised.")
    reasons = models.JSONField(default=list, help_text="[{code, label, start, end}] within the sentence.")
    score = models.FloatField(help_text="How check-worthy the model rates the sentence, 0 to 1.")
    speaker = models.CharField(max_length=200, blank=True, help_text="Who the sentence attributes it to.")
    speaker_role = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=16, choices=SuggestionState.choices, default=SuggestionState.OPEN)
    claim = models.ForeignKey(Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "fingerprint"], name="suggestion_once_per_source"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="suggestion_not_empty"),
            models.CheckConstraint(condition=Q(state__in=SuggestionState.values), name="suggestion_state_valid"),
        ]
        indexes = [models.Index(fields=["source", "state", "start"], name="suggestion_source_state")]

    def __str__(self):
        return anchoring.shorten(self.sentence, 80)

    @property
    def is_open(self) -> bool:
        return self.state == SuggestionState.OPEN

    def explained_reasons(self) -> list[dict]:
        """Each reason with the words of the sentence that show it."""
        return [{**reason, "words": self.sentence[reason["start"] : reason["end"]]} for reason in self.reasons]

    def dismiss(self, *, by) -> None:
        self._decide(SuggestionState.DISMISSED, by=by)

    def accept(self, claim: Claim, *, by) -> None:
        self._decide(SuggestionState.ACCEPTED, by=by, claim=claim)

    def _decide(self, state: str, *, by, claim: Claim | None = None) -> None:
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if current.state != SuggestionState.OPEN:
                raise ValidationError(
                    f"This suggestion was already {current.get_state_display().lower()}.", code="suggestion_decided"
                )
            self.state, self.claim, self.decided_by, self.decided_at = state, claim, by, timezone.now()
            self.save(update_fields=["state", "claim", "decided_by", "decided_at"])
