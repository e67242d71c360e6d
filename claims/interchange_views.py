"""Claims out and in as W3C Web Annotations (JSON-LD): one claim, a source's, the filtered desk, and an upload."""

import json

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_http_methods

from .filters import ClaimFilter
from .models import Claim, Source
from .views import INVALID, VIEW_CLAIMS, render_page_or_partial
from .webannotation import (
    MEDIA_TYPE,
    AnnotationFileError,
    annotation_queryset,
    claim_to_annotation,
    export_annotations,
    import_annotations,
    read_annotations,
)

ADD_CLAIMS = "claims.add_claim"  # an import adds claims (and the sources, claimants and tags they need)
IMPORT_PARTIALS = {"annotations-import"}
IMPORT_MAX_BYTES = 50 * 1024 * 1024


class AnnotationImportForm(forms.Form):
    file = forms.FileField(
        label="Annotations file",
        help_text="A JSON-LD file of W3C Web Annotations, as Claimdesk exports them (.jsonld or .json).",
        error_messages={"required": "Choose a file to import.", "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".jsonld,.json,application/ld+json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; an import can be up to "
                f"{IMPORT_MAX_BYTES / 1_000_000:.0f} MB.",
                code="too_large",
            )
        try:
            return read_annotations(upload.read())
        except AnnotationFileError as error:
            raise forms.ValidationError(str(error), code="not_annotations") from error


def base_url(request) -> str:
    return request.build_absolute_uri("/")


def annotations_response(request, data, filename: str) -> HttpResponse:
    """The annotations as JSON-LD; with ?download=1, as a file to save."""
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type=MEDIA_TYPE)
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_annotation(request, pk):
    claim = get_object_or_404(annotation_queryset(Claim.objects.all()), pk=pk)
    return annotations_response(request, claim_to_annotation(claim, base_url=base_url(request)), f"claim-{pk}.jsonld")


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def source_annotations(request, pk):
    source = get_object_or_404(Source.objects.only("pk"), pk=pk)
    claims = source.claims.order_by("quote_start", "id")
    return annotations_response(
        request, export_annotations(claims, base_url=base_url(request)), f"source-{source.pk}-claims.jsonld"
    )


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def annotations_export(request):
    """Every claim the desk shows for these filters (all pages), in the desk's order."""
    claims = ClaimFilter(request.GET, queryset=Claim.objects.all(), request=request)
    if not claims.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in claims.errors.items())
        return HttpResponseBadRequest(
            f"These filters cannot be applied, so nothing was exported: {problems}",
            content_type="text/plain; charset=utf-8",
        )
    return annotations_response(request, export_annotations(claims.qs, base_url=base_url(request)), "claims.jsonld")


@require_http_methods(["GET", "POST"])
@permission_required(ADD_CLAIMS, raise_exception=True)
def annotations_import(request):
    """The upload form; a posted file is imported all or nothing and the page reports what happened."""
    form = AnnotationImportForm(request.POST, request.FILES) if request.method == "POST" else AnnotationImportForm()
    report, status = None, 200
    if form.is_bound:
        if form.is_valid():
            report = import_annotations(form.cleaned_data["file"], by=request.user)
            if report.ok:
                form = AnnotationImportForm()
            else:
                form.add_error("file", report.summary)
        if form.errors:
            status = INVALID
    context = {"form": form, "report": report}
    return render_page_or_partial(request, "claims/annotations_import.html", context, IMPORT_PARTIALS, status=status)
