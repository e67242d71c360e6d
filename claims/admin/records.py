"""The admin of evidence, notes, corrections and the claims' timelines."""

from django.contrib import admin

from .. import permissions
from ..models import Annotation, ClaimEvent, Correction, Evidence
from .history import AuditedAdmin


@admin.register(Evidence)
class EvidenceAdmin(AuditedAdmin):
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
class AnnotationAdmin(AuditedAdmin):
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


class CorrectionStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Being worked on"), ("published", "Published")]

    def queryset(self, request, queryset):
        if self.value() in ("open", "published"):
            return queryset.filter(published_at__isnull=self.value() == "open")
        return queryset


@admin.register(Correction)
class CorrectionAdmin(AuditedAdmin):
    """Corrections of published verdicts, read-only: the desk opens them ("Open a
    correction") and publishing the claim again completes them."""

    list_display = ("claim", "state", "old_verdict", "new_verdict", "opened_by", "opened_at", "published_at")
    list_filter = (CorrectionStateFilter,)
    list_select_related = ("claim", "old_verdict", "new_verdict", "opened_by")
    search_fields = ("claim__summary", "reason")
    search_help_text = "Search the claim's summary and the correction's reason."
    fields = (
        "claim",
        "reason",
        ("opened_by", "opened_at"),
        ("old_verdict", "old_rationale"),
        ("new_verdict", "new_rationale"),
        ("published_by", "published_at"),
    )

    @admin.display(description="state")
    def state(self, correction):
        return "being worked on" if correction.is_open else "published"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
