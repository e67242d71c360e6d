"""Similar claims and duplicates: the claims already on the desk that say what a text
says (while a claim is written, and on each claim page), and marking one claim as a
duplicate of another, so that it follows the original's verdict.

Like the desk's other views, each answers htmx with the fragment that changed and a
plain request with a whole page; marking works without JavaScript (POST, redirect, GET).
"""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from . import similarity, workflow
from .forms import DuplicateForm
from .models import Claim
from .views import STATUS_CHANGED, VERDICT_CHANGED, VIEW_CLAIMS, claim_action, get_claim

MAX_TEXT = 2000  # what an editor types into a summary and a quote; more is not a claim


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_similar(request):
    """The claims similar to the words given (`summary` and `quote` as a new claim's form
    sends them while the editor types, or `text`): the list for htmx, a page otherwise."""
    text = " ".join(request.GET.get(name, "") for name in ("summary", "quote", "text")).strip()[:MAX_TEXT]
    found = similarity.similar_claims(text, queryset=Claim.objects.select_related("verdict", "source"))
    context = {"similar": found, "text": text, "searched": bool(text)}
    if request.htmx:
        return render(request, "claims/claim_similar.html#similar-found", context)
    return render(request, "claims/claim_similar.html", context)


@require_POST
@permission_required(workflow.CHANGE_STATUS, raise_exception=True)
def claim_mark_duplicate(request, pk):
    claim = get_claim(pk)
    form = DuplicateForm(request.POST)
    return claim_action(
        request,
        claim,
        form,
        "duplicate_form",
        "similar-claims",
        lambda data: claim.mark_duplicate(data["original"], by=request.user, based_on=data["based_on"]),
        STATUS_CHANGED,
        VERDICT_CHANGED,
    )


@require_POST
@permission_required(workflow.CHANGE_STATUS, raise_exception=True)
def claim_unmark_duplicate(request, pk):
    claim = get_claim(pk)
    form = DuplicateForm(request.POST, removing=True)
    return claim_action(
        request,
        claim,
        form,
        "duplicate_form",
        "similar-claims",
        lambda data: claim.unmark_duplicate(by=request.user, based_on=data["based_on"]),
        STATUS_CHANGED,
        VERDICT_CHANGED,
    )
