"""The claim admin: list, change page, list edits and the bulk actions."""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse

from .. import anchoring, roles, search, workflow
from ..models import Annotation, Claim, ClaimEvent, Evidence, Origin, StatusStyle, Tag
from ..resources import ClaimResource
from .claim_forms import BulkAssignForm, BulkStatusForm, BulkTagForm, BulkVerdictForm, ClaimChangelistForm, ClaimForm
from .imports import ImportExportAdmin


class SourceKindFilter(admin.ChoicesFieldListFilter):
    """The source's kind, titled so it is not mistaken for the claim's own kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "source kind"


class AssigneeFilter(admin.RelatedFieldListFilter):
    """Lists the people who may work claims rather than every account."""

    def field_choices(self, field, request, model_admin):
        return [(user.pk, str(user)) for user in roles.claim_workers()]


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    fields = ("stance", "source", "url", "excerpt", "added_by", "created_at")
    readonly_fields = ("added_by", "created_at")
    autocomplete_fields = ("source",)


class AnnotationInline(admin.StackedInline):
    """Notes on the claim. A note speaks for its author, so existing notes are
    read-only here; new ones can be added."""

    model = Annotation
    extra = 0
    fields = ("body", "author", "created_at")
    readonly_fields = ("author", "created_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(admin.TabularInline):
    """The claim's timeline, read-only: only the domain methods write it. (The History
    page is the audit trail of every save, with its field changes.)"""

    model = ClaimEvent
    verbose_name = "change"
    verbose_name_plural = "timeline"
    extra = 0
    can_delete = False
    fields = ("at", "field", "old_to_new", "note", "actor", "origin")
    readonly_fields = fields

    @admin.display(description="change")
    def old_to_new(self, event):
        return f"{event.old_label or '—'} → {event.new_label or '—'}"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def claims_count(number: int) -> str:
    return f"{number} claim" if number == 1 else f"{number} claims"


def refusal(error: ValidationError | PermissionDenied) -> str:
    """Why the domain refused a change to a claim, for the message that lists the claims."""
    if isinstance(error, PermissionDenied):
        return str(error)
    reason = " ".join(error.messages)
    if "note" in getattr(error, "error_dict", {}):
        return f"This move needs a note (the Note field): {reason}"
    return reason


BULK_LISTED = 100  # the confirmation page names this many of the selected claims


@admin.register(Claim)
class ClaimAdmin(ImportExportAdmin):
    form = ClaimForm
    resource_classes = [ClaimResource]
    list_display = (
        "short_summary",
        "status",
        "assignee",
        "reviewer",
        "verdict",
        "claimant",
        "source",
        "kind",
        "tag_list",
        "updated_at",
    )
    list_display_links = ("short_summary",)
    list_editable = ("status", "assignee")
    list_filter = (
        "status",
        "verdict",
        "kind",
        ("source__kind", SourceKindFilter),
        ("assignee", AssigneeFilter),
        "tags",
    )
    list_select_related = ("source", "claimant", "verdict", "assignee", "reviewer")
    show_full_result_count = False
    list_per_page = 50  # each row is a small form (status, assignee): half the admin's 100 renders in half the time
    search_fields = ("summary", "quote", "claimant__name", "source__title")
    search_help_text = (
        "Whole words in the summary, the quote, the claimant's name or the source's title; "
        'the last word may be the start of one; "quotes" for a phrase.'
    )
    autocomplete_fields = ("source", "claimant", "tags")
    readonly_fields = ("quote_prefix", "quote_suffix", "created_at", "updated_at")
    fieldsets = [
        (None, {"fields": ["summary", "kind", "claimant", "tags", "based_on"]}),
        (
            "Quote",
            {
                "fields": ["source", "quote", ("quote_start", "quote_end"), ("quote_prefix", "quote_suffix")],
                "description": "The quote exactly as the source text has it, and where it stands there: "
                "offsets count characters from the start of the text.",
            },
        ),
        ("Workflow", {"fields": ["status", "note", "verdict", "rationale", "assignee", "reviewer"]}),
        ("Dates", {"fields": [("created_at", "updated_at")]}),
    ]
    inlines = [EvidenceInline, AnnotationInline, HistoryInline]
    actions = ["set_status", "set_verdict", "assign", "add_tag"]

    def get_queryset(self, request):
        # Sources are shown by title; their full texts stay in the database.
        return super().get_queryset(request).defer("source__text").prefetch_related("tags")

    def get_search_results(self, request, queryset, search_term):
        # The desk's full-text index rather than the admin's icontains over four fields, which
        # scans every claim (hundreds of ms at 100,000). The changelist and the autocomplete
        # boxes of other models' claim fields both come through here. Joins nothing, so no
        # duplicate rows.
        return search.search_claims(queryset, search_term, type_ahead=True), False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # A claim starts as new and moves on only through the workflow.
            return [
                (name, {**options, "fields": [f for f in options["fields"] if f not in ("status", "note")]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, form=ClaimChangelistForm, **kwargs)
        form.user = request.user
        form.request = request
        form.worker_choices = [(user.pk, str(user)) for user in roles.claim_workers()]
        form.status_labels = StatusStyle.objects.labels()
        return form

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_save" in request.POST:
            # The list edits' rows stay locked from their check in the forms to their save.
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        """Every change to the claim, its own fields included, through the domain (see ClaimForm)."""
        form.save_claim(obj)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the tags changed through the domain in save_model().
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, Evidence) and instance._state.adding:
                instance.added_by = request.user
            if isinstance(instance, Annotation) and instance._state.adding:
                instance.author = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    @admin.display(description="summary", ordering="summary")
    def short_summary(self, claim):
        return anchoring.shorten(claim.summary, 90)

    @admin.display(description="tags")
    def tag_list(self, claim):
        return ", ".join(tag.name for tag in claim.tags.all())

    def has_change_status_permission(self, request):
        return request.user.has_perm(workflow.CHANGE_STATUS)

    def has_set_verdict_permission(self, request):
        return request.user.has_perm(workflow.SET_VERDICT)

    def has_assign_permission(self, request):
        return request.user.has_perm(workflow.ASSIGN)

    @admin.action(description="Set status…", permissions=["change_status"])
    def set_status(self, request, queryset):
        return self.bulk_change(
            request,
            queryset,
            "set_status",
            BulkStatusForm,
            title="Set the status of claims",
            change_all=lambda claims, data: claims.transition_all(
                data["status"], by=request.user, note=data["note"], origin=Origin.ADMIN
            ),
            done=lambda data: f"moved to {StatusStyle.objects.labels()[data['status']]}",
        )

    @admin.action(description="Set verdict…", permissions=["set_verdict"])
    def set_verdict(self, request, queryset):
        return self.bulk_change(
            request,
            queryset,
            "set_verdict",
            BulkVerdictForm,
            title="Set the verdict of claims",
            change=lambda claim, data: claim.set_verdict(
                data["verdict"], by=request.user, rationale=data["rationale"], origin=Origin.ADMIN
            ),
            done=lambda data: f"given the verdict “{data['verdict']}”",
        )

    @admin.action(description="Assign to…", permissions=["assign"])
    def assign(self, request, queryset):
        return self.bulk_change(
            request,
            queryset,
            "assign",
            BulkAssignForm,
            title="Assign claims",
            change=lambda claim, data: claim.assign(data["assignee"], by=request.user, origin=Origin.ADMIN),
            done=lambda data: f"assigned to {data['assignee']}",
        )

    @admin.action(description="Add tag…", permissions=["change"])
    def add_tag(self, request, queryset):
        return self.bulk_change(
            request,
            queryset,
            "add_tag",
            BulkTagForm,
            title="Tag claims",
            change=lambda claim, data: claim.add_tag(
                Tag.objects.get_or_create(name=data["tag"])[0], by=request.user, origin=Origin.ADMIN
            ),
            done=lambda data: f"tagged “{data['tag']}”",
        )

    def bulk_change(self, request, queryset, action, form_class, *, title, done, change=None, change_all=None):
        """The intermediate page of a bulk action; once confirmed, the change made through
        the domain (`change` claim by claim, or `change_all` on the whole queryset at once),
        with the claims it could not be made to reported."""
        form = form_class(request.POST if "apply" in request.POST else None, prefix="bulk")
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": title,
                "subtitle": None,
                "form": form,
                "queryset": queryset,
                "count": queryset.count(),
                "shown": queryset[:BULK_LISTED],
                "select_across": request.POST.get("select_across") == "1",
                "opts": self.opts,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + form.media,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/claims/claim/bulk_change.html", context)
        changed, unchanged, refused = 0, 0, defaultdict(list)
        if change_all is not None:
            moved, refusals = change_all(queryset, form.cleaned_data)
            changed = len(moved)
            for claim, error in refusals:
                refused[refusal(error)].append(claim)
        else:
            for claim in queryset:
                try:
                    event = change(claim, form.cleaned_data)
                except (ValidationError, PermissionDenied) as error:
                    refused[refusal(error)].append(claim)
                else:
                    changed += event is not None
                    unchanged += event is None
        what = done(form.cleaned_data)
        if changed:
            self.message_user(request, f"{claims_count(changed)} {what}.", messages.SUCCESS)
        if unchanged:
            were = "was" if unchanged == 1 else "were"
            self.message_user(request, f"{claims_count(unchanged)} {were} already {what}.", messages.INFO)
        for reason, claims in refused.items():
            named = ", ".join(f"#{claim.pk} “{anchoring.shorten(claim.summary, 50)}”" for claim in claims)
            self.message_user(request, f"Skipped {claims_count(len(claims))}: {reason} {named}", messages.WARNING)
        return None
