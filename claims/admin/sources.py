"""The admin of sources, claimants, tags, the rating scale and the statuses' names and colours."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from .. import anchoring, workflow
from ..models import Claimant, Origin, Rating, Source, StatusStyle, Tag, clean_tag_name
from ..resources import ClaimantResource, SourceResource
from .history import AuditedAdmin
from .imports import ImportExportAdmin


class SourceForm(forms.ModelForm):
    """Keeps the text exactly as typed, and refuses a text correction based on a copy
    someone has corrected since (the version the form was opened at)."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Source
        fields = ["title", "outlet", "url", "kind", "published_on", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].strip = False
        self.fields[
            "text"
        ].help_text = (
            "Correcting the text places every claim on it again; a claim whose words are gone is marked orphaned."
        )
        self.fields["based_on"].initial = self.instance.version

    def clean_text(self):
        return anchoring.keep_line_breaks(self.cleaned_data["text"], self.instance.text)

    def clean(self):
        cleaned_data = super().clean()
        based_on = cleaned_data.get("based_on")
        if self.instance.pk and "text" in self.changed_data and based_on and based_on != self.instance.version:
            self.add_error(
                "text",
                f"Someone corrected this text since you opened it (it is now at version {self.instance.version}). "
                "Nothing was saved; copy your text, reload the page and apply your correction again.",
            )
        return cleaned_data


@admin.register(Source)
class SourceAdmin(ImportExportAdmin):
    form = SourceForm
    resource_classes = [SourceResource]
    list_display = ("title", "outlet", "kind", "state", "published_on", "created_at")
    list_filter = ("kind", "state", "published_on")
    search_fields = ("title", "outlet", "url")
    readonly_fields = ("state", "fetch_error", "fetched_at", "added_by", "version", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        """A corrected text goes through the domain, which places the claims again."""
        if not (change and "text" in form.changed_data):
            return super().save_model(request, obj, form, change)
        corrected = obj.text
        obj.text = Source.objects.values_list("text", flat=True).get(pk=obj.pk)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            outcome = obj.correct_text(
                corrected, by=request.user, based_on=form.cleaned_data.get("based_on"), origin=Origin.ADMIN
            )
        self.message_user(
            request,
            f"{len(outcome.kept)} claim(s) kept their place, {len(outcome.moved)} moved with their words, "
            f"{len(outcome.orphaned)} orphaned"
            + (": " + "; ".join(f"“{claim.summary}”" for claim in outcome.orphaned) if outcome.orphaned else "."),
            level=messages.WARNING if outcome.orphaned else messages.INFO,
        )


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
