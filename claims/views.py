"""The desk: the claim list, the claim page, and the actions taken on a claim.

Every view answers a plain request with a whole page and an htmx request with
the fragment that changed. Every action is a POST that also works without
JavaScript: on success it redirects back to the page (POST, redirect, GET); on
bad input it shows the form again with its message, with status 422.
"""

import hashlib

from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url, reswap, retarget, trigger_client_event

from . import counting, permissions, quantities, queues, similarity, workflow
from .filters import DEFAULT_SORT, ClaimFilter
from .forms import (
    AnnotationForm,
    AssignmentForm,
    DuplicateForm,
    EvidenceForm,
    ReviewerForm,
    TransitionForm,
    VerdictForm,
)
from .menus import MENUS, menu_options
from .models import Annotation, AnnotationConflict, Claim, EditConflict, Evidence, Rating, StatusStyle
from .paging import Key, keyset_page
from .permissions import can_delete_annotation, can_edit_annotation
from .timeline import claim_timeline

CLAIMS_PER_PAGE = 25
INVALID = 422  # a form sent back with its messages, to htmx and plain browsers alike
CONFLICT = 409  # a change based on a copy someone else changed since: nothing was saved
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
    "similar-claims",
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
        status_counts = counting.status_counts(claims)
        total = sum(count for _, _, count in status_counts)
        status = claims.form.cleaned_data.get("status")
        matching = next((count for key, _, count in status_counts if key == status), 0) if status else total
        page = keyset_page(
            claims.qs,
            claims.sort_keys,
            size=CLAIMS_PER_PAGE,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
            count=matching,
        )
    else:
        # A filter we cannot apply is shown as an error, never silently dropped.
        page = keyset_page(Claim.objects.none(), [Key("id")], size=CLAIMS_PER_PAGE)
        status_counts, total = [], 0
    context = {"filter": claims, "page": page, "status_counts": status_counts, "total": total}
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
        if value and not (name == "sort" and value == DEFAULT_SORT) and name != "page"
    }
    path = reverse("claims:claim_list")
    return f"{path}?{urlencode(query)}" if query else path


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def filter_options(request, menu):
    """The desk's source or claimant menu, narrowed to the names holding what was typed
    in its finder (htmx swaps the options in); without htmx, back to the desk."""
    if menu not in MENUS:
        raise Http404("No such menu.")
    if not request.htmx:
        return redirect("claims:claim_list")
    context = {
        "options": menu_options(menu, find=request.GET.get("find", ""), selected=request.GET.get(menu)),
        "selected": request.GET.get(menu, ""),
        "empty_label": request.GET.get("empty") or ClaimFilter.base_filters[menu].extra.get("empty_label"),
    }
    return render(request, "claims/claim_list.html#menu-options", context)


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_detail(request, pk):
    claim = get_claim(pk)
    response = render_page_or_partial(request, "claims/claim_detail.html", claim_page(request, claim), CLAIM_PARTIALS)
    if not request.htmx or request.htmx.history_restore_request:
        # Opening the page is looking at the claim; the desk shows what others change after this.
        queues.record_visit(request.user, claim)
    return response


@require_POST
@permission_required(workflow.CHANGE_STATUS, raise_exception=True)
def claim_transition(request, pk):
    claim = get_claim(pk)
    form = TransitionForm(request.POST)
    return claim_action(
        request,
        claim,
        form,
        "transition_form",
        "status-panel",
        lambda data: claim.transition(data["target"], by=request.user, note=data["note"], based_on=data["based_on"]),
        STATUS_CHANGED,
    )


@require_POST
@permission_required(workflow.SET_VERDICT, raise_exception=True)
def claim_verdict(request, pk):
    claim = get_claim(pk)
    form = VerdictForm(request.POST)
    return claim_action(
        request,
        claim,
        form,
        "verdict_form",
        "verdict-panel",
        lambda data: claim.set_verdict(
            data["verdict"], by=request.user, rationale=data["rationale"], based_on=data["based_on"]
        ),
        VERDICT_CHANGED,
    )


@require_POST
@permission_required(workflow.ASSIGN, raise_exception=True)
def claim_assign(request, pk):
    claim = get_claim(pk)
    form = AssignmentForm(request.POST)
    return claim_action(
        request,
        claim,
        form,
        "assignment_form",
        "assignment-panel",
        lambda data: claim.assign(data["assignee"], by=request.user, based_on=data["based_on"]),
    )


@require_POST
@permission_required(workflow.ASSIGN, raise_exception=True)
def claim_assign_reviewer(request, pk):
    claim = get_claim(pk)
    form = ReviewerForm(request.POST)
    return claim_action(
        request,
        claim,
        form,
        "reviewer_form",
        "assignment-panel",
        lambda data: claim.assign_reviewer(data["reviewer"], by=request.user, based_on=data["based_on"]),
    )


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
    prefix = f"annotation-{annotation.pk}"
    initial = {"based_on": annotation.version}
    form = AnnotationForm(request.POST or None, instance=annotation, prefix=prefix, initial=initial)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            annotation.edit(form.cleaned_data["body"], by=request.user, based_on=form.cleaned_data["based_on"])
        except AnnotationConflict as error:
            # Keep what they wrote, now based on the stored note, and show them that note.
            data = request.POST.copy()
            data[f"{prefix}-based_on"] = str(error.annotation.version)
            form = AnnotationForm(data, instance=error.annotation, prefix=prefix)
            annotation, conflict, status = error.annotation, error, CONFLICT
        else:
            if not request.htmx:
                return redirect(f"{claim.get_absolute_url()}#annotation-{annotation.pk}")
            context = {"annotation": annotation_for(request.user, annotation), "claim": claim}
            return render(request, "claims/claim_detail.html#annotation", context)
    elif form.is_bound:
        status = INVALID
    if request.htmx:
        context = {
            "annotation": annotation_for(request.user, annotation),
            "claim": claim,
            "edit_form": form,
            "note_conflict": conflict,
        }
        return render(request, "claims/claim_detail.html#annotation-editor", context, status=status)
    context = claim_page(request, claim, editing=annotation.pk, edit_form=form, note_conflict=conflict)
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
    # Five joins, not eight: PostgreSQL spent 7–8 ms planning the eight-way join on every
    # claim page (2 ms for five); who proposed the verdict, the published verdict and the
    # original of a duplicate are each a primary-key lookup when a panel shows them.
    return get_object_or_404(
        Claim.objects.select_related("source", "claimant", "verdict", "assignee", "reviewer"), pk=pk
    )


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
        "controls": permissions.claim_controls(user, claim),
        "annotations": lambda: [annotation_for(user, note) for note in claim.annotations.select_related("author")],
        "evidence": claim.evidence.select_related("source", "added_by"),
        "timeline": lambda: claim_timeline(claim),
        "source_claims": source_claims,
        "source_status_counts": claim.source.claims.status_counts,
        "tags": claim.tags.all(),
        "corrections": claim.corrections.select_related("old_verdict", "new_verdict", "opened_by", "published_by"),
        "transition_form": TransitionForm(initial={"based_on": claim.version}),
        "verdict_form": VerdictForm(
            initial={"verdict": claim.verdict, "rationale": claim.rationale, "based_on": claim.version}
        ),
        "assignment_form": AssignmentForm(initial={"assignee": claim.assignee, "based_on": claim.version}),
        "reviewer_form": ReviewerForm(initial={"reviewer": claim.reviewer, "based_on": claim.version}),
        "annotation_form": AnnotationForm(),
        "evidence_form": EvidenceForm(),
        "duplicate_form": DuplicateForm(initial={"based_on": claim.version}),
        "arithmetic": claim.arithmetic,
        "quantities": lambda: quantities.stated_quantities(claim.quote),
        "duplicates": lambda: list(claim.duplicates.order_by("pk").only("id", "summary")),
        "similar": lambda: similarity.similar_claims(
            f"{claim.summary}\n{claim.quote}",
            exclude=claim.pk,
            queryset=Claim.objects.select_related("verdict").exclude(duplicate_of=claim.pk),
        ),
        # Found after the page has shown (htmx asks for the panel); at once without JavaScript.
        "similar_loaded": bool(request.htmx) or "similar" in request.GET,
        "editing": None,
        "conflict": None,
    }
    context.update(overrides)
    return context


def annotation_for(user, annotation: Annotation) -> Annotation:
    annotation.editable = can_edit_annotation(user, annotation)
    annotation.deletable = can_delete_annotation(user, annotation)
    return annotation


def claim_action(request, claim, form, form_name, partial, change, *events):
    """Make the change the valid form asks for through the domain, then answer:
    the refreshed panel, the form with its errors (422) or the conflict (409)."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except EditConflict as conflict:
            return edit_conflict_response(request, conflict, form_name, form, partial)
    return claim_action_response(request, claim, form, form_name, partial, *events)


def edit_conflict_response(request, conflict: EditConflict, form_name, form, partial):
    """Show what the others changed and keep this person's change, ready to apply
    on top of the claim as it is now or to discard."""
    claim = get_claim(conflict.claim.pk)
    data = form.data.copy()
    data["based_on"] = str(claim.version)
    mine = type(form)(data)
    retry = None
    if form_name == "transition_form":
        transition = workflow.find_transition(claim.status, form.cleaned_data["target"])
        retry = transition if transition and request.user.has_perm(transition.permission) else None
    details = {"panel": partial, "changes": list(conflict.changes), "form": mine, "retry": retry}
    context = claim_page(request, claim, **{form_name: mine}, conflict=details)
    if request.htmx:
        response = render(request, f"claims/claim_detail.html#{partial}", context, status=CONFLICT)
        # The other parts of the page show the claim as it is now, too.
        trigger_client_event(response, CLAIM_CHANGED)
        trigger_client_event(response, VERDICT_CHANGED)
        return reswap(retarget(response, f"#{partial}"), "outerHTML")
    return render(request, "claims/claim_detail.html", context, status=CONFLICT)


def claim_action_response(request, claim, form, form_name, partial, *events):
    """Answer a POST that changed (or failed to change) the claim's status, verdict or assignee."""
    if form.errors:
        return invalid_form_response(request, claim, form_name, form, partial)
    if not request.htmx:
        return redirect(claim)
    claim = get_claim(claim.pk)
    context = claim_page(request, claim)
    # The header and the timeline come in the same response (out of band): an
    # event-triggered refresh can be missed while an earlier one is being swapped in.
    response = HttpResponse(
        render_to_string(f"claims/claim_detail.html#{partial}", context, request)
        + render_to_string("claims/claim_detail.html#claim-changed", context, request)
    )
    for event in (CLAIM_CHANGED, *events):
        trigger_client_event(response, event)
    return response


def invalid_form_response(request, claim, form_name, form, partial):
    if request.htmx:
        context = claim_page(request, claim, **{form_name: form})
        response = render(request, f"claims/claim_detail.html#{partial}", context, status=INVALID)
        return reswap(retarget(response, f"#{partial}"), "outerHTML")
    return render(request, "claims/claim_detail.html", claim_page(request, claim, **{form_name: form}), status=INVALID)


@login_not_required
@require_GET
def palette(request):
    """The status and verdict colours the admins chose, as a stylesheet (no inline styles,
    so a strict Content-Security-Policy holds). Browsers revalidate it by its ETag."""
    context = {
        "statuses": StatusStyle.objects.all(),
        "ratings": Rating.objects.only("key", "colour"),
    }
    css = render_to_string("claims/palette.css", context)
    etag = f'"{hashlib.sha256(css.encode()).hexdigest()[:16]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return response
