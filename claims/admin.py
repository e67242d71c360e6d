"""The admin: where reviewers correct records, change claims in bulk, and import and export.

A claim's status, verdict, assignee and tags change here only through the domain
methods, with origin "admin": on the change form, in the changelist's editable
columns and in the bulk actions alike. So each change is checked against the
workflow for the user making it and lands in the claim's history, as on the desk.
"""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.tmp_storages import TempFolderStorage

from . import anchoring, permissions, roles, workflow
from .models import Annotation, Claim, Claimant, ClaimEvent, Evidence, Origin, Rating, Source, Tag, clean_tag_name
from .resources import (
    FORMATS,
    PLAIN_FIELDS,
    WORKFLOW_FIELDS,
    ClaimantResource,
    ClaimResource,
    SourceResource,
    import_problems,
    unanchored_message,
)
from .workflow import Status

User = get_user_model()


def keep_line_breaks(text: str, original: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; keep LF unless the original text has CRs."""
    return text if "\r" in original else text.replace("\r\n", "\n")


# Import and export


class UploadStorage(TempFolderStorage):
    """Reads an uploaded file back byte for byte: read as text, a carriage return
    inside a CSV field would become a newline and shift every quote offset after it."""

    def read(self):
        with open(self.get_full_path(), "rb") as file:
            return file.read()


class ImportExportAdmin(ImportExportModelAdmin):
    """Import and export as CSV, JSON or XLSX; an import saves every row or none."""

    formats = FORMATS
    tmp_storage_class = UploadStorage

    def process_result(self, result, request):
        # The preview passed, but the data changed before the import was confirmed.
        if result.has_errors() or result.has_validation_errors():
            for problem in import_problems(result):
                messages.error(request, problem)
            messages.error(request, "Nothing was imported.")
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)


# Sources, claimants, tags and ratings


class SourceForm(forms.ModelForm):
    """Keeps the text exactly as typed, and refuses an edit that would move the
    words a claim quotes away from its offsets."""

    class Meta:
        model = Source
        fields = ["title", "outlet", "url", "kind", "published_on", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].strip = False

    def clean_text(self):
        return keep_line_breaks(self.cleaned_data["text"], self.instance.text)

    def clean(self):
        cleaned_data = super().clean()
        text = cleaned_data.get("text")
        if self.instance.pk and text is not None and text != self.instance.text:
            broken = self.instance.claims_displaced_by(text)
            if broken:
                self.add_error("text", unanchored_message(broken))
        return cleaned_data


@admin.register(Source)
class SourceAdmin(ImportExportAdmin):
    form = SourceForm
    resource_classes = [SourceResource]
    list_display = ("title", "outlet", "kind", "published_on", "created_at")
    list_filter = ("kind", "published_on")
    search_fields = ("title", "outlet", "url")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Claimant)
class ClaimantAdmin(ImportExportAdmin):
    resource_classes = [ClaimantResource]
    list_display = ("name", "kind", "role")
    list_filter = ("kind",)
    search_fields = ("name", "role")


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        # Normalised before the uniqueness check, which would otherwise miss "Economy" vs "economy".
        return clean_tag_name(self.cleaned_data["name"])


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagForm
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """The rating scale. Verdicts are published on it, so only superusers change it."""

    list_display = ("label", "key", "value", "position", "description")
    search_fields = ("label", "key")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Claims


class ClaimForm(forms.ModelForm):
    """Checks the claim's status, verdict, assignee and tag changes against the
    workflow for `user` in clean(), and makes them through the domain methods in
    apply_workflow(), after the claim's other fields are saved."""

    user = None  # set on the form class ClaimAdmin builds for each request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            # Claims go to those who may work them; a claim keeps its assignee until changed.
            self.fields["assignee"].queryset = User.objects.filter(
                Q(pk__in=roles.claim_workers().values("pk")) | Q(pk=self.instance.assignee_id)
            ).order_by(User.USERNAME_FIELD)
        if "quote" in self.fields:
            self.fields["quote"].strip = False
        if "status" in self.fields:
            moves = [
                transition.target_label for transition, _ in workflow.available_transitions(self.instance, self.user)
            ]
            self.fields["status"].help_text = (
                f"From {self.instance.get_status_display()} you may move it to {', '.join(moves)}."
                if moves
                else f"You cannot move a claim that is {self.instance.get_status_display().lower()}."
            )

    def clean(self):
        cleaned_data = super().clean()
        source, quote = cleaned_data.get("source"), cleaned_data.get("quote")
        if source is not None and quote:
            cleaned_data["quote"] = keep_line_breaks(quote, source.text)
        self.workflow_steps = self.plan_workflow(cleaned_data)
        return cleaned_data

    def plan_workflow(self, cleaned_data) -> list:
        """The domain calls that make the requested changes, in the order the workflow
        needs, each checked first; a refused change becomes an error on its field."""
        stored, user, origin = self.instance, self.user, Origin.ADMIN
        changed = {name for name in self.changed_data if name in WORKFLOW_FIELDS and name in cleaned_data}
        target = cleaned_data["status"] if "status" in changed else stored.status
        verdict, rationale = cleaned_data.get("verdict"), cleaned_data.get("rationale", "")
        # A verdict is settled before the claim moves on (review and publishing need
        # one), unless the claim must first be reopened for its verdict to change.
        verdict_first = workflow.verdict_lock(stored) is None
        steps = {}
        if "assignee" in changed:
            assignee = cleaned_data["assignee"]
            steps["assignee"] = self.checked(
                "assignee",
                lambda: workflow.check_assignment(user),
                lambda claim: claim.assign(assignee, by=user, origin=origin),
            )
        if "tags" in changed:
            tags = set(cleaned_data["tags"])
            steps["tags"] = self.checked(
                "tags", lambda: workflow.check_tagging(user), lambda claim: claim.set_tags(tags, by=user, origin=origin)
            )
        if changed & {"verdict", "rationale"}:
            deciding = Claim(status=stored.status if verdict_first else target)
            if not rationale.strip():
                self.add_error("rationale", "Say why: a verdict needs its rationale.")
            steps["verdict"] = self.checked(
                "verdict",
                lambda: workflow.check_verdict_change(deciding, user),
                lambda claim: claim.set_verdict(verdict, by=user, rationale=rationale, origin=origin),
            )
        if target != stored.status:
            verdict_id = getattr(verdict, "pk", None) if "verdict" in changed and verdict_first else stored.verdict_id
            moving = Claim(status=stored.status, verdict_id=verdict_id)
            steps["status"] = self.checked(
                "status",
                lambda: workflow.check_transition(moving, target, user),
                lambda claim: claim.transition(target, by=user, origin=origin),
            )
        order = ["assignee", "tags", *(["verdict", "status"] if verdict_first else ["status", "verdict"])]
        return [steps[name] for name in order if steps.get(name)]

    def checked(self, field, check, step):
        """`step` if `check` lets this user make it, otherwise None and the reason on `field`."""
        try:
            check()
        except ValidationError as error:
            self.add_error(field, error.messages)
        except PermissionDenied as error:
            self.add_error(field, str(error))
        else:
            return step
        return None

    def apply_workflow(self, claim: Claim) -> None:
        for step in self.workflow_steps:
            step(claim)


class ClaimChangelistForm(ClaimForm):
    """A row of the changelist's editable status and assignee columns."""

    worker_choices = []  # (pk, name) of the claim workers, read once per changelist page

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fixed choices, so rendering a page of rows does not query the users once per row.
        field = self.fields["assignee"]
        choices = [("", field.empty_label), *self.worker_choices]
        assignee = self.instance.assignee
        if assignee is not None and assignee.pk not in dict(self.worker_choices):
            choices.append((assignee.pk, str(assignee)))
        field.choices = choices


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
    """The claim's history, read-only: only the domain methods write it."""

    model = ClaimEvent
    verbose_name = "change"
    verbose_name_plural = "history"
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


class BulkStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=Status.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Recorded in each claim's history."
    )


class BulkVerdictForm(forms.Form):
    verdict = forms.ModelChoiceField(Rating.objects.all())
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="Why; kept with each verdict.")


class BulkAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(roles.claim_workers(), help_text="An editor, a reviewer or a superuser.")


class BulkTagForm(forms.Form):
    tag = forms.CharField(max_length=Tag._meta.get_field("name").max_length, help_text="Created if it does not exist.")

    def clean_tag(self):
        return clean_tag_name(self.cleaned_data["tag"])


def claims_count(number: int) -> str:
    return f"{number} claim" if number == 1 else f"{number} claims"


@admin.register(Claim)
class ClaimAdmin(ImportExportAdmin):
    form = ClaimForm
    resource_classes = [ClaimResource]
    list_display = (
        "short_summary",
        "status",
        "assignee",
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
    list_select_related = ("source", "claimant", "verdict", "assignee")
    show_full_result_count = False
    search_fields = ("summary", "quote", "claimant__name", "source__title")
    search_help_text = "Search the summary, the quote, the claimant's name and the source's title."
    autocomplete_fields = ("source", "claimant", "tags")
    readonly_fields = ("quote_prefix", "quote_suffix", "created_at", "updated_at")
    fieldsets = [
        (None, {"fields": ["summary", "kind", "claimant", "tags"]}),
        (
            "Quote",
            {
                "fields": ["source", "quote", ("quote_start", "quote_end"), ("quote_prefix", "quote_suffix")],
                "description": "The quote exactly as the source text has it, and where it stands there: "
                "offsets count characters from the start of the text.",
            },
        ),
        ("Workflow", {"fields": ["status", "verdict", "rationale", "assignee"]}),
        ("Dates", {"fields": [("created_at", "updated_at")]}),
    ]
    inlines = [EvidenceInline, AnnotationInline, HistoryInline]
    actions = ["set_status", "set_verdict", "assign", "add_tag"]

    def get_queryset(self, request):
        # Sources are shown by title; their full texts stay in the database.
        return super().get_queryset(request).defer("source__text").prefetch_related("tags")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # A claim starts as new and moves on only through the workflow.
            return [
                (name, {**options, "fields": [f for f in options["fields"] if f != "status"]})
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
        form.worker_choices = [(user.pk, str(user)) for user in roles.claim_workers()]
        return form

    def save_model(self, request, obj, form, change):
        """Save the claim's own fields, then its workflow changes through the domain."""
        if not change:
            obj.verdict, obj.rationale, obj.assignee = None, "", None
            obj.save()
        elif set(form.changed_data) - set(WORKFLOW_FIELDS):
            obj.save(update_fields=PLAIN_FIELDS)
        form.apply_workflow(obj)

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
            change=lambda claim, data: claim.transition(
                data["status"], by=request.user, note=data["note"], origin=Origin.ADMIN
            ),
            done=lambda data: f"moved to {Status(data['status']).label}",
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

    def bulk_change(self, request, queryset, action, form_class, *, title, change, done):
        """The intermediate page of a bulk action; once confirmed, the change made claim
        by claim through the domain, with the claims it could not be made to reported."""
        form = form_class(request.POST if "apply" in request.POST else None, prefix="bulk")
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": title,
                "subtitle": None,
                "form": form,
                "queryset": queryset,
                "opts": self.opts,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + form.media,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/claims/claim/bulk_change.html", context)
        changed, unchanged, refused = 0, 0, defaultdict(list)
        for claim in queryset:
            try:
                event = change(claim, form.cleaned_data)
            except ValidationError as error:
                refused[" ".join(error.messages)].append(claim)
            except PermissionDenied as error:
                refused[str(error)].append(claim)
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


# Evidence, annotations and history


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("claim", "stance", "source", "url", "added_by", "created_at")
    list_filter = ("stance",)
    list_select_related = ("claim", "source", "added_by")
    search_fields = ("excerpt", "url", "claim__summary", "source__title")
    autocomplete_fields = ("claim", "source")
    fields = ("claim", "stance", "source", "url", "excerpt", "added_by", "created_at")
    readonly_fields = ("added_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source__text")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    """Notes on claims. A note speaks for its author, so only its author changes or deletes it."""

    list_display = ("__str__", "claim", "author", "created_at")
    list_select_related = ("claim", "author")
    search_fields = ("body", "claim__summary", "author__username")
    autocomplete_fields = ("claim",)
    fields = ("claim", "body", "author", "created_at", "updated_at")
    readonly_fields = ("author", "created_at", "updated_at")
    # No bulk delete: it would delete other people's notes.
    actions = None

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit_annotation(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.can_delete_annotation(request.user, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ClaimEvent)
class ClaimEventAdmin(admin.ModelAdmin):
    """Every claim's history, read-only: only the domain methods write it."""

    list_display = ("at", "claim", "field", "old_label", "new_label", "actor", "origin")
    list_filter = ("field", "origin")
    list_select_related = ("claim", "actor")
    show_full_result_count = False
    search_fields = ("claim__summary", "note", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
