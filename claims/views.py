"""The desk: the claim list, the claim page, and the actions taken on a claim.

Every view answers a plain request with a whole page and an htmx request with
the fragment that changed. Every action is a POST that also works without
JavaScript: on success it redirects back to the page (POST, redirect, GET); on
bad input it shows the form again with its message, with status 422.
"""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url, reswap, retarget, trigger_client_event

from . import permissions, workflow
from .anchoring import split_at
from .filters import DEFAULT_SORT, ClaimFilter
from .forms import AnnotationForm, AssignmentForm, EvidenceForm, TransitionForm, VerdictForm
from .models import Annotation, Claim, Evidence
from .permissions import can_delete_annotation, can_edit_annotation

CLAIMS_PER_PAGE = 25
INVALID = 422  # a form sent back with its messages, to htmx and plain browsers alike
# Events an action's response raises, so the parts of the page that show what changed refresh.
CLAIM_CHANGED = "claim-changed"
STATUS_CHANGED = "status-changed"  # the verdict panel locks or unlocks
VERDICT_CHANGED = "verdict-changed"  # transitions that need a verdict become possible

# Parts of the pages that htmx may ask for by their id (the HX-Target header).
DESK_PARTIALS = {"desk", "claim-results"}
CLAIM_PARTIALS = {
    "claim-header",
    "status-panel",
    "transition-actions",
    "verdict-panel",
    "assignment-panel",
    "claim-history",
    "source-claims",
}


def render_page_or_partial(request, template, context, partials, status=200):
    """Render the page, or for htmx the partial the request targets, if it is one of `partials`."""
    target = request.htmx.target if request.htmx and not request.htmx.history_restore_request else None
    name = f"{template}#{target}" if target in partials else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


VIEW_CLAIMS = "claims.view_claim"


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_list(request):
    claims = ClaimFilter(request.GET, queryset=Claim.objects.for_list(), request=request)
    address = desk_address(request)
    if not request.htmx and address != request.get_full_path():
        return redirect(address)  # a plain form sends every field, even empty ones
    if claims.is_valid():
        page = Paginator(claims.qs, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
        status_counts = claims.without("status").qs.status_counts()
    else:
        # A filter we cannot apply is shown as an error, never silently dropped.
        page = Paginator(Claim.objects.none(), CLAIMS_PER_PAGE).get_page(1)
        status_counts = []
    context = {
        "filter": claims,
        "page": page,
        "status_counts": status_counts,
        "total": sum(count for _, _, count in status_counts),
    }
    response = render_page_or_partial(request, "claims/claim_list.html", context, DESK_PARTIALS)
    if request.htmx:
        push_url(response, address)
    return response


def desk_address(request) -> str:
    """The desk's address for these filters, without empty or default values, so
    the address bar shows something short enough to read and share."""
    query = {
        name: value
        for name, value in request.GET.items()
        if value and not (name == "sort" and value == DEFAULT_SORT) and not (name == "page" and value == "1")
    }
    path = reverse("claims:claim_list")
    return f"{path}?{urlencode(query)}" if query else path


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_detail(request, pk):
    claim = get_claim(pk)
    return render_page_or_partial(request, "claims/claim_detail.html", claim_page(request, claim), CLAIM_PARTIALS)


@require_POST
@permission_required(workflow.CHANGE_STATUS, raise_exception=True)
def claim_transition(request, pk):
    claim = get_claim(pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            claim.transition(form.cleaned_data["target"], by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
    return claim_action_response(request, claim, form, "transition_form", "status-panel", STATUS_CHANGED)


@require_POST
@permission_required(workflow.SET_VERDICT, raise_exception=True)
def claim_verdict(request, pk):
    claim = get_claim(pk)
    form = VerdictForm(request.POST)
    if form.is_valid():
        try:
            claim.set_verdict(form.cleaned_data["verdict"], by=request.user, rationale=form.cleaned_data["rationale"])
        except ValidationError as error:
            form.add_error(None, error)
    return claim_action_response(request, claim, form, "verdict_form", "verdict-panel", VERDICT_CHANGED)


@require_POST
@permission_required(workflow.ASSIGN, raise_exception=True)
def claim_assign(request, pk):
    claim = get_claim(pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        claim.assign(form.cleaned_data["assignee"], by=request.user)
    return claim_action_response(request, claim, form, "assignment_form", "assignment-panel")


@require_POST
@permission_required("claims.add_annotation", raise_exception=True)
def annotation_create(request, pk):
    claim = get_claim(pk)
    form = AnnotationForm(request.POST, instance=Annotation(claim=claim, author=request.user))
    if not form.is_valid():
        return invalid_form_response(request, claim, "annotation_form", form, "annotation-form")
    annotation = form.save()
    if not request.htmx:
        return redirect(f"{claim.get_absolute_url()}#annotation-{annotation.pk}")
    # The new note joins the list; the form comes back empty in the same response.
    context = {
        "annotation": annotation_for(request.user, annotation),
        "claim": claim,
        "annotation_form": AnnotationForm(),
    }
    return render(request, "claims/claim_detail.html#annotation-created", context)


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def annotation_detail(request, pk):
    annotation = get_object_or_404(Annotation.objects.select_related("author", "claim"), pk=pk)
    if not request.htmx:
        return redirect(f"{annotation.claim.get_absolute_url()}#annotation-{annotation.pk}")
    context = {"annotation": annotation_for(request.user, annotation), "claim": annotation.claim}
    return render(request, "claims/claim_detail.html#annotation", context)


@require_http_methods(["GET", "POST"])
def annotation_edit(request, pk):
    annotation = get_object_or_404(Annotation.objects.select_related("author", "claim"), pk=pk)
    if not can_edit_annotation(request.user, annotation):
        raise PermissionDenied("You can edit your own notes only.")
    claim = annotation.claim
    form = AnnotationForm(request.POST or None, instance=annotation, prefix=f"annotation-{annotation.pk}")
    if request.method == "POST" and form.is_valid():
        form.save()
        if not request.htmx:
            return redirect(f"{claim.get_absolute_url()}#annotation-{annotation.pk}")
        context = {"annotation": annotation_for(request.user, annotation), "claim": claim}
        return render(request, "claims/claim_detail.html#annotation", context)
    status = INVALID if form.is_bound else 200
    if request.htmx:
        context = {"annotation": annotation_for(request.user, annotation), "claim": claim, "edit_form": form}
        return render(request, "claims/claim_detail.html#annotation-editor", context, status=status)
    context = claim_page(request, claim, editing=annotation.pk, edit_form=form)
    return render(request, "claims/claim_detail.html", context, status=status)


@require_POST
def annotation_delete(request, pk):
    annotation = get_object_or_404(Annotation.objects.select_related("claim"), pk=pk)
    if not can_delete_annotation(request.user, annotation):
        raise PermissionDenied("You can delete your own notes only.")
    claim = annotation.claim
    annotation.delete()
    if request.htmx:
        return HttpResponse("")  # swapped over the deleted note, removing it
    return redirect(f"{claim.get_absolute_url()}#annotations")


@require_POST
@permission_required("claims.add_evidence", raise_exception=True)
def evidence_create(request, pk):
    claim = get_claim(pk)
    form = EvidenceForm(request.POST, instance=Evidence(claim=claim, added_by=request.user))
    if not form.is_valid():
        return invalid_form_response(request, claim, "evidence_form", form, "evidence-form")
    evidence = form.save()
    if not request.htmx:
        return redirect(f"{claim.get_absolute_url()}#evidence-{evidence.pk}")
    context = {"item": evidence, "claim": claim, "evidence_form": EvidenceForm()}
    return render(request, "claims/claim_detail.html#evidence-created", context)


# Helpers shared by the views above.


def get_claim(pk) -> Claim:
    return get_object_or_404(Claim.objects.select_related("source", "claimant", "verdict", "assignee"), pk=pk)


def claim_page(request, claim: Claim, **overrides) -> dict:
    """Everything the claim page shows; `overrides` replace a form with a bound one.

    Querysets and callables are evaluated only if the part being rendered uses
    them, so an htmx request for one panel runs only that panel's queries."""
    user = request.user
    source_claims = claim.source.claims.order_by("quote_start", "id").only(
        "id", "source_id", "summary", "status", "quote_start"
    )
    context = {
        "claim": claim,
        "passage": claim.passage(),
        "whole_text": split_at(claim.source.text, claim.quote_start, claim.quote_end),
        "controls": permissions.claim_controls(user, claim),
        "annotations": lambda: [annotation_for(user, note) for note in claim.annotations.select_related("author")],
        "evidence": claim.evidence.select_related("source", "added_by"),
        "events": claim.events.select_related("actor"),
        "source_claims": source_claims,
        "source_status_counts": claim.source.claims.status_counts,
        "tags": claim.tags.all(),
        "transition_form": TransitionForm(),
        "verdict_form": VerdictForm(initial={"verdict": claim.verdict, "rationale": claim.rationale}),
        "assignment_form": AssignmentForm(initial={"assignee": claim.assignee}),
        "annotation_form": AnnotationForm(),
        "evidence_form": EvidenceForm(),
        "editing": None,
    }
    context.update(overrides)
    return context


def annotation_for(user, annotation: Annotation) -> Annotation:
    annotation.editable = can_edit_annotation(user, annotation)
    annotation.deletable = can_delete_annotation(user, annotation)
    return annotation


def claim_action_response(request, claim, form, form_name, partial, *events):
    """Answer a POST that changed (or failed to change) the claim's status, verdict or assignee."""
    if form.errors:
        return invalid_form_response(request, claim, form_name, form, partial)
    if not request.htmx:
        return redirect(claim)
    claim = get_claim(claim.pk)
    response = render(request, f"claims/claim_detail.html#{partial}", claim_page(request, claim))
    for event in (CLAIM_CHANGED, *events):
        trigger_client_event(response, event)
    return response


def invalid_form_response(request, claim, form_name, form, partial):
    if request.htmx:
        context = claim_page(request, claim, **{form_name: form})
        response = render(request, f"claims/claim_detail.html#{partial}", context, status=INVALID)
        return reswap(retarget(response, f"#{partial}"), "outerHTML")
    return render(request, "claims/claim_detail.html", claim_page(request, claim, **{form_name: form}), status=INVALID)
