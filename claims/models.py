"""What Claimdesk keeps: sources, claimants, claims with their verdicts, evidence,
annotations and the history of every change to a claim's status, verdict,
assignment and tags."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils import timezone

from . import anchoring, workflow
from .workflow import Status


class HttpsURLField(models.URLField):
    """A URL field whose forms read a scheme-less address as https (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class EventField(models.TextChoices):
    STATUS = "status", "Status"
    VERDICT = "verdict", "Verdict"
    ASSIGNEE = "assignee", "Assignee"
    TAGS = "tags", "Tags"


class Origin(models.TextChoices):
    DESK = "desk", "Desk"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Import"
    SYSTEM = "system", "System"


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


class Source(models.Model):
    """A document claims come from or evidence lives in."""

    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    url = HttpsURLField("URL", max_length=2000, blank=True)
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.NEWS_ARTICLE)
    published_on = models.DateField(null=True, blank=True, help_text="Leave empty when the source does not say.")
    text = models.TextField(blank=True, help_text="The full text as received; claims point into it by offset.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="source_kind_valid"),
        ]

    def __str__(self):
        return f"{self.title} ({self.outlet})" if self.outlet else self.title

    def get_absolute_url(self):
        return f"{reverse('claims:claim_list')}?source={self.pk}"

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
    description = models.CharField(max_length=300, blank=True)

    objects = RatingManager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.key,)


class ClaimQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("source", "claimant", "verdict", "assignee").prefetch_related("tags")

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, number of claims) for every status, in workflow order."""
        counts = dict(self.order_by().values_list("status").annotate(n=Count("id")))
        return [(status.value, status.label, counts.get(status.value, 0)) for status in workflow.STATUS_ORDER]


class ClaimKind(models.TextChoices):
    STATISTIC = "statistic", "Statistic"
    QUOTATION = "quotation", "Attributed statement"
    EVENT = "event", "Event"
    HISTORY = "history", "Historical fact"
    PROMISE = "promise", "Promise or plan"
    PREDICTION = "prediction", "Prediction"
    OTHER = "other", "Other"


class Claim(models.Model):
    """A statement worth checking, anchored to the exact words of its source."""

    summary = models.CharField(max_length=300, help_text="The claim in the editor's words.")
    quote = models.TextField(help_text="The claim verbatim, exactly as the source text has it.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    quote_start = models.PositiveIntegerField(help_text="Offset of the quote's first character in the source text.")
    quote_end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    quote_prefix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    quote_suffix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    kind = models.CharField(max_length=16, choices=ClaimKind.choices, default=ClaimKind.STATISTIC)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    verdict = models.ForeignKey(Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    rationale = models.TextField(blank=True, help_text="Why the verdict is what it is.")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

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
        ]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="claim_status_updated"),
            models.Index(fields=["-updated_at", "-id"], name="claim_updated"),
        ]

    def __str__(self):
        return self.summary

    def get_absolute_url(self):
        return reverse("claims:claim_detail", args=[self.pk])

    def clean(self):
        if self.source_id is not None and self.quote_start is not None and self.quote_end is not None:
            try:
                anchoring.check_anchor(self.source.text, self.quote, self.quote_start, self.quote_end)
            except ValidationError as error:
                raise ValidationError({"quote": error}) from error
            self.quote_prefix, self.quote_suffix = anchoring.context_around(
                self.source.text, self.quote_start, self.quote_end
            )

    def passage(self) -> anchoring.Passage:
        return anchoring.passage_around(self.source.text, self.quote_start, self.quote_end)

    # Every change to status, verdict, assignment and tags goes through these
    # methods, so each is checked against the workflow and lands in the history.

    def transition(self, target: str, *, by, note: str = "", origin: str = Origin.DESK) -> ClaimEvent:
        with transaction.atomic():
            current = self._lock()
            workflow.check_transition(current, target, by)
            old = current.status
            self.status = target
            self.save(update_fields=["status", "updated_at"])
            return self._record(
                EventField.STATUS, old, target, Status(old).label, Status(target).label, by, note, origin
            )

    def set_verdict(self, rating: Rating | None, *, by, rationale: str, origin: str = Origin.DESK) -> ClaimEvent:
        rationale = rationale.strip()
        if not rationale:
            raise ValidationError({"rationale": "Say why: a verdict needs its rationale."}, code="rationale_missing")
        with transaction.atomic():
            current = self._lock()
            workflow.check_verdict_change(current, by)
            if current.verdict_id == (rating.pk if rating else None) and current.rationale == rationale:
                raise ValidationError("The verdict and its rationale are unchanged.", code="unchanged")
            old = current.verdict
            self.verdict = rating
            self.rationale = rationale
            self.save(update_fields=["verdict", "rationale", "updated_at"])
            return self._record(
                EventField.VERDICT,
                old.key if old else "",
                rating.key if rating else "",
                old.label if old else "",
                rating.label if rating else "",
                by,
                rationale,
                origin,
            )

    def assign(self, user, *, by, note: str = "", origin: str = Origin.DESK) -> ClaimEvent | None:
        workflow.check_assignment(by)
        with transaction.atomic():
            current = self._lock()
            if current.assignee_id == (user.pk if user else None):
                return None
            old = current.assignee
            self.assignee = user
            self.save(update_fields=["assignee", "updated_at"])
            old_name = old.get_username() if old else ""
            new_name = user.get_username() if user else ""
            return self._record(EventField.ASSIGNEE, old_name, new_name, old_name, new_name, by, note, origin)

    def add_tag(self, tag: Tag, *, by, origin: str = Origin.DESK) -> ClaimEvent | None:
        workflow.check_tagging(by)
        with transaction.atomic():
            self._lock()
            if self.tags.filter(pk=tag.pk).exists():
                return None
            self.tags.add(tag)
            self.save(update_fields=["updated_at"])
            return self._record(EventField.TAGS, "", tag.name, "", tag.name, by, "", origin)

    def remove_tag(self, tag: Tag, *, by, origin: str = Origin.DESK) -> ClaimEvent | None:
        workflow.check_tagging(by)
        with transaction.atomic():
            self._lock()
            if not self.tags.filter(pk=tag.pk).exists():
                return None
            self.tags.remove(tag)
            self.save(update_fields=["updated_at"])
            return self._record(EventField.TAGS, tag.name, "", tag.name, "", by, "", origin)

    def set_tags(self, tags, *, by, origin: str = Origin.DESK) -> None:
        """Give the claim exactly these tags, each one added or removed recorded."""
        current = set(self.tags.all())
        for tag in sorted(set(tags) - current, key=str):
            self.add_tag(tag, by=by, origin=origin)
        for tag in sorted(current - set(tags), key=str):
            self.remove_tag(tag, by=by, origin=origin)

    def record_arrival(self, *, by, origin: str) -> None:
        """Record in the history the status, verdict, assignee and tags a claim arrived
        with, for a claim created with them already set (a restored export)."""
        arrived = [(EventField.STATUS, self.status, Status(self.status).label, "")]
        if self.verdict_id is not None:
            arrived.append((EventField.VERDICT, self.verdict.key, self.verdict.label, self.rationale))
        if self.assignee_id is not None:
            username = self.assignee.get_username()
            arrived.append((EventField.ASSIGNEE, username, username, ""))
        arrived += [(EventField.TAGS, tag.name, tag.name, "") for tag in self.tags.all()]
        ClaimEvent.objects.bulk_create(
            ClaimEvent(claim=self, field=field, new_value=value, new_label=label, note=note, actor=by, origin=origin)
            for field, value, label, note in arrived
        )

    def _lock(self) -> Claim:
        """The claim as stored, locked until the transaction ends, so a rule is
        checked against what is in the database and not a stale copy."""
        return type(self).objects.select_for_update(of=("self",)).select_related("verdict", "assignee").get(pk=self.pk)

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
        )


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

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="annotation_body_not_empty")]

    def __str__(self):
        return anchoring.shorten(self.body, 80)

    @property
    def was_edited(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 1


class ClaimEvent(models.Model):
    """One change to a claim's status, verdict, assignment or tags: the claim's history.

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

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["claim", "-at"], name="claimevent_claim_at")]
        constraints = [
            models.CheckConstraint(condition=Q(field__in=EventField.values), name="claimevent_field_valid"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="claimevent_origin_valid"),
        ]

    def __str__(self):
        return f"{self.get_field_display()}: {self.old_label or '—'} → {self.new_label or '—'}"
