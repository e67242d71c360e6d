"""Assignment and queues: my queue, review mode that walks it claim by claim, and
what others changed on the claims I opened since I last looked.

As on the desk, one view answers a plain request with the page and an htmx
request with the fragment it targets (the nav's queue count, the desk's
"changed since" panel). Review mode is plain links and forms: an action posts
and then redirects to the next claim of the queue (POST, redirect, GET), so it
works the same with and without JavaScript.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from . import permissions, queues, workflow
from .anchoring import shorten
from .forms import TransitionForm
from .models import Claim, EditConflict
from .queues import Cursor
from .views import CONFLICT, INVALID, VIEW_CLAIMS, get_claim, render_page_or_partial
from .workflow import Status

# Parts of the queue page that htmx may ask for by their id (the HX-Target header):
# the nav's "My queue (N)" and the "changed since you last looked" panel the desk shows too.
QUEUE_PARTIALS = {"queue-link", "changed-since"}
QUEUE_SHOWN = 100  # a busy editor's queue runs to thousands; review mode walks all of it
CHANGES_SHOWN = 20
EVENTS_SHOWN = 5
# Raised when someone marks everything seen, so the desk drops its "changed" markers.
CHANGES_SEEN = "changes-seen"


@dataclass(frozen=True)
class Shortcut:
    """A key of review mode. The template puts `binding` in the `data-shortcut` attribute
    of the control the key works (claimdesk.js clicks or focuses it) and lists the same
    shortcut in the page's legend, so the legend cannot promise a key the page lacks."""

    keys: tuple[str, ...]  # KeyboardEvent.key values
    action: str

    @property
    def binding(self) -> str:
        return " ".join(self.keys)

    @property
    def names(self) -> list[str]:
        return [KEY_NAMES.get(key, key) for key in self.keys]


KEY_NAMES = {"ArrowRight": "→", "ArrowLeft": "←"}
REVIEW_SHORTCUTS = {
    "next": Shortcut(("j", "ArrowRight"), "Next claim"),
    "previous": Shortcut(("k", "ArrowLeft"), "Previous claim"),
    "approve": Shortcut(("a",), "Approve and publish, when you may"),
    "more_evidence": Shortcut(("m",), "Needs more evidence: write in the note what is missing, then send it back"),
    "open": Shortcut(("o",), "Open the full claim page"),
    "legend": Shortcut(("?",), "Show or hide this list"),
}


@require_GET
@permission_required(VIEW_CLAIMS, raise_exception=True)
def my_queue(request):
    """What is mine to do now, and what others changed since I last looked. Also answers
    the nav's count and the desk's panel, which ask htmx for their fragment by id."""
    user = request.user
    may_work = user.has_perm(workflow.CHANGE_STATUS)
    queue = queues.my_queue(user) if may_work else Claim.objects.none()
    context = {
        "may_work": may_work,
        "my_queue": queue,
        "queue_page": lambda: list(queue[:QUEUE_SHOWN]),
        "changes": lambda: changes_since_seen(user),
        "queue_shown": QUEUE_SHOWN,
    }
    return render_page_or_partial(request, "claims/claim_queue.html", context, QUEUE_PARTIALS)


@require_GET
@permission_required(workflow.CHANGE_STATUS, raise_exception=True)
def review_start(request):
    """Review mode's way in: the first claim of my queue, or the one after (`?after=`) or
    before (`?before=`) a place in it, looked up in the queue as it is now."""
    user = request.user
    after = Cursor.parse(request.GET.get("after"))
    before = Cursor.parse(request.GET.get("before"))
    if after:
        pk = queues.next_in_queue(user, after)
    elif before:
        pk = queues.previous_in_queue(user, before) or queues.first_in_queue(user)
    else:
        pk = queues.first_in_queue(user)
    if pk is not None:
        return redirect("claims:queue_review_claim", pk)
    context = {
        "claim": None,
        "total": queues.queue_claims(user).count(),
        "previous_url": review_url(before=after) if after else None,
        "shortcuts": REVIEW_SHORTCUTS,
    }
    return render(request, "claims/claim_review.html", context)


@require_GET
@permission_required(workflow.CHANGE_STATUS, raise_exception=True)
def review_claim(request, pk):
    """One claim in review mode: what it says, its verdict and evidence, the steps I may
    take, and where it stands in my queue."""
    claim = get_claim(pk)
    response = render(request, "claims/claim_review.html", review_page(request, claim))
    queues.record_visit(request.user, claim)  # reviewing it is looking at it, as opening its page is
    return response


@require_POST
@permission_required(workflow.CHANGE_STATUS, raise_exception=True)
def review_transition(request, pk):
    """Take a step on the claim from review mode, then go on to the next claim of my queue.

    The next claim is the one after this claim's place as it was shown, so a claim that
    goes to the back of the queue (or leaves it) because of this step is not met again
    at once, and claims others finished in the meantime are skipped."""
    claim = get_claim(pk)
    next_url = safe_next(request) or review_url(after=Cursor.of(claim))
    form = TransitionForm(request.POST)
    status, conflict = INVALID, None
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = claim.transition(data["target"], by=request.user, note=data["note"], based_on=data["based_on"])
        except EditConflict as error:
            # Show the claim as it is now and what the others changed; the note stays in the form.
            claim = get_claim(pk)
            status, conflict = CONFLICT, {"changes": list(error.changes)}
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{shorten(claim.summary)}” is now {event.new_label.lower()}.")
            return redirect(next_url)
    context = review_page(request, claim, form=form, conflict=conflict)
    return render(request, "claims/claim_review.html", context, status=status)


@require_POST
@permission_required(VIEW_CLAIMS, raise_exception=True)
def mark_all_seen(request):
    """Count every claim I opened as seen, as of the moment the list I looked at was made."""
    queues.mark_all_seen(request.user, queues.parse_seen_mark(request.POST.get("as_of")))
    if not request.htmx:
        return redirect(f"{reverse('claims:my_queue')}#changed-since")
    context = {"changes": lambda: changes_since_seen(request.user)}
    response = render(request, "claims/claim_queue.html#changed-since", context)
    return trigger_client_event(response, CHANGES_SEEN)


# Helpers of the views above.


def changes_since_seen(user) -> dict:
    """The most recent claims others changed since the user last looked, and the moment
    this list was made (for "Mark all as seen", so later changes stay listed)."""
    as_of = timezone.now()
    claims = list(queues.changed_since_seen(user)[: CHANGES_SHOWN + 1])
    return {"claims": claims[:CHANGES_SHOWN], "more": len(claims) > CHANGES_SHOWN, "as_of": queues.seen_mark(as_of)}


def review_page(request, claim: Claim, *, form=None, conflict=None) -> dict:
    user = request.user
    place = queues.place_in_queue(user, claim)
    controls = permissions.claim_controls(user, claim)
    form = form or TransitionForm(initial={"based_on": claim.version})
    open_moves = {(move.source, move.target) for move, blocked in controls["transitions"] if not blocked}
    if (Status.IN_REVIEW, Status.RESEARCHING) in open_moves:
        # "m" goes to the note: asking for more evidence needs one, then its button sends it.
        binding = REVIEW_SHORTCUTS["more_evidence"].binding
        form.fields["note"].widget.attrs.update({"data-shortcut": binding, "aria-keyshortcuts": binding})
    return {
        "claim": claim,
        "passage": claim.passage(),
        "place": place,
        "next_url": review_url(after=place.cursor),
        "previous_url": review_url(before=place.cursor),
        "controls": controls,
        "transition_form": form,
        "conflict": conflict,
        "evidence": claim.evidence.select_related("source", "added_by"),
        "events": claim.events.select_related("actor")[:EVENTS_SHOWN],
        "shortcuts": REVIEW_SHORTCUTS,
    }


def review_url(*, after: Cursor | None = None, before: Cursor | None = None) -> str:
    query = {name: str(cursor) for name, cursor in (("after", after), ("before", before)) if cursor}
    return f"{reverse('claims:queue_review')}?{urlencode(query)}"


def safe_next(request) -> str | None:
    """The form's `next` address, if it is one of ours (never an open redirect)."""
    url = request.POST.get("next", "")
    ours = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and ours else None
