"""The admin of sources, claimants, tags, the rating scale and the statuses' names and colours."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from .. import anchoring, workflow
from ..models import Claimant, Origin, Rating, Source, StatusStyle, Tag, clean_tag_name
from ..resources import (
    ClaimantResource,
    SourceResource,
    unanchored_message,
)
from .history import AuditedAdmin
from .imports import ImportExportAdmin


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
        return anchoring.keep_line_breaks(self.cleaned_data["text"], self.instance.text)

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
class TagAdmin(AuditedAdmin):
    """Tags. Deleting one untags its claims through the domain first, so each claim's
    timeline and version record it (a plain delete would drop it from them unseen)."""

    form = TagForm
    list_display = ("name",)
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and request.user.has_perm(workflow.TAG)

    def delete_model(self, request, obj):
        with transaction.atomic():
            for claim in obj.claims.all():
                claim.remove_tag(obj, by=request.user, origin=Origin.ADMIN)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            self.delete_model(request, tag)


class Swatches(AuditedAdmin):
    """Shows colours as the desk's badges, coloured by its palette stylesheet (no inline styles)."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": [reverse("claims:palette")]})


@admin.register(Rating)
class RatingAdmin(Swatches):
    """The rating scale. Verdicts are published on it, so only superusers change it."""

    list_display = ("label", "swatch", "key", "value", "position", "description")
    fields = ("key", "label", "value", "position", "colour", "description")
    search_fields = ("label", "key")

    @admin.display(description="badge")
    def swatch(self, rating):
        return format_html('<span class="badge" data-verdict="{}">{}</span>', rating.key, rating.label)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(StatusStyle)
class StatusStyleAdmin(Swatches):
    """What the desk calls each workflow status and how it shows it. The statuses and the
    moves between them are fixed by claims.workflow, so none is added or deleted here;
    only superusers rename, recolour or reorder them (reviewers may look)."""

    list_display = ("status", "swatch", "label", "colour", "position", "description")
    list_display_links = ("status",)
    list_editable = ("label", "colour", "position")
    fields = ("status", "label", "colour", "position", "description")
    readonly_fields = ("status",)
    actions = None

    @admin.display(description="badge")
    def swatch(self, style):
        return format_html('<span class="badge" data-status="{}">{}</span>', style.status, style.label)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False
