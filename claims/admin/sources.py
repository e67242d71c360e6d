"""The admin of sources, claimants, tags and the rating scale."""

from django import forms
from django.contrib import admin

from .. import anchoring
from ..models import Claimant, Rating, Source, Tag, clean_tag_name
from ..resources import (
    ClaimantResource,
    SourceResource,
    unanchored_message,
)
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
