"""Sources: adding them (paste, upload, fetch), the reader, correcting a text, and
capturing claims from selected words.

Like the desk's views, each answers a plain request with a whole page and an
htmx request with the fragment that changed, and every action also works
without JavaScript (POST, redirect, GET).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh, push_url, reswap, retarget

from . import anchoring, ingest, search, speakers, suggesting, workflow
from .forms import CaptureForm, FetchedSourceForm, PastedSourceForm, PlaceForm, SourceTextForm, UploadedSourceForm
from .models import Claim, Claimant, Source, SourceConflict, SourceState, Suggestion, SuggestionState
from .reader import highlighted_text
from .views import CONFLICT, INVALID, render_page_or_partial

VIEW_SOURCES = "claims.view_source"
ADD_SOURCE = "claims.add_source"
SOURCES_PER_PAGE = 50
READER_PARTIALS = {"reader", "reader-claim", "source-progress"}
ADD_FORMS = {form.how: form for form in (PastedSourceForm, UploadedSourceForm, FetchedSourceForm)}


@require_GET
@permission_required(VIEW_SOURCES, raise_exception=True)
def source_list(request):
    sources = Source.objects.annotate(
        claim_count=Count("claims"),
        orphan_count=Count("claims", filter=Q(claims__orphaned_at__isnull=False)),
    ).order_by("-created_at", "-id")
    may_capture = request.user.has_perm(workflow.CAPTURE)
    if may_capture:
        # A subquery, not a second join: joining claims and suggestions would multiply both counts.
        open_suggestions = (
            Suggestion.objects.filter(source=OuterRef("pk"), state=SuggestionState.OPEN)
            .order_by()
            .values("source")
            .annotate(count=Count("pk"))
            .values("count")
        )
        sources = sources.annotate(open_suggestions=Coalesce(Subquery(open_suggestions), 0))
    query = request.GET.get("q", "").strip()[:200]
    sources = search.search_sources(sources, query)
    page = Paginator(sources.defer("text"), SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/source_list.html", {"page": page, "query": query, "may_capture": may_capture})


@require_http_methods(["GET", "POST"])
@permission_required(ADD_SOURCE, raise_exception=True)
def source_add(request):
    forms = {how: form_class(prefix=how) for how, form_class in ADD_FORMS.items()}
    how = request.POST.get("how") if request.method == "POST" else request.GET.get("how", "paste")
    how = how if how in ADD_FORMS else "paste"
    if request.method == "POST":
        form = forms[how] = ADD_FORMS[how](request.POST, request.FILES, prefix=how)
        if form.is_valid():
            try:
                source = add_source(form, request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(source)
        return render(request, "claims/source_form.html", {"forms": forms, "how": how}, status=INVALID)
    return render(request, "claims/source_form.html", {"forms": forms, "how": how})


def add_source(form, user) -> Source:
    details = {name: form.cleaned_data[name] for name in ("title", "outlet", "kind", "published_on")}
    if form.how == "paste":
        return ingest.add_pasted(text=form.cleaned_data["text"], url=form.cleaned_data["url"], by=user, **details)
    if form.how == "upload":
        upload = form.cleaned_data["file"]
        return ingest.add_uploaded(name=upload.name, content=upload.read(), by=user, **details)
    return ingest.add_from_address(url=form.cleaned_data["url"], by=user, **details)


@require_GET
@permission_required(VIEW_SOURCES, raise_exception=True)
def source_detail(request, pk):
    source = get_object_or_404(Source.objects.select_related("added_by"), pk=pk)
    if request.htmx and request.htmx.target == "source-progress" and source.state == SourceState.READY:
        return HttpResponseClientRefresh()  # fetched: the whole page becomes the reader
    if request.htmx and request.htmx.target == "source-suggestions" and source.state == SourceState.READY:
        return suggestions_fragment(request, source)  # waiting for the worker's suggestions
    selected = None
    if request.GET.get("claim", "").isdigit():
        selected = source.claims.filter(pk=request.GET["claim"]).first()
    return render_page_or_partial(
        request, "claims/source_detail.html", reader_page(request, source, selected=selected), READER_PARTIALS
    )


@require_POST
@permission_required(ADD_SOURCE, raise_exception=True)
def source_fetch(request, pk):
    source = get_object_or_404(Source, pk=pk)
    try:
        ingest.fetch_again(source, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(source)


@require_http_methods(["GET", "POST"])
@permission_required(workflow.CORRECT_SOURCE, raise_exception=True)
def source_text(request, pk):
    source = get_object_or_404(Source, pk=pk)
    form = SourceTextForm(request.POST or None, initial={"text": source.text, "based_on": source.version})
    context = {"source": source, "form": form, "conflict": None}
    if request.method == "GET":
        return render(request, "claims/source_text.html", context)
    if form.is_valid():
        text = anchoring.keep_line_breaks(form.cleaned_data["text"], source.text)
        try:
            outcome = source.correct_text(text, by=request.user, based_on=form.cleaned_data["based_on"])
        except SourceConflict as conflict:
            # Keep their text; base it on the stored version so "apply mine anyway" can save it.
            data = request.POST.copy()
            data["based_on"] = str(conflict.source.version)
            context.update(source=conflict.source, form=SourceTextForm(data), conflict=source_changes(conflict))
            return render(request, "claims/source_text.html", context, status=CONFLICT)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            report_reanchoring(request, outcome)
            return redirect(source)
    return render(request, "claims/source_text.html", context, status=INVALID)


@require_http_methods(["GET", "POST"])
@permission_required(workflow.CAPTURE, raise_exception=True)
def claim_capture(request, pk):
    source = get_object_or_404(Source, pk=pk, state=SourceState.READY)
    if request.method == "GET":
        form = CaptureForm(initial=capture_initial(source, request.GET))
        return reader_response(request, source, capture_form=form)
    form = CaptureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        details = {"summary": data["summary"], "kind": data["kind"]}
        try:
            with transaction.atomic():
                details["claimant"] = data["claimant"] or new_claimant(data)
                if data["suggestion"] is not None:
                    suggestion = get_object_or_404(Suggestion, pk=data["suggestion"], source=source)
                    claim = suggesting.accept(suggestion, by=request.user, **details)
                else:
                    claim = Claim.capture(
                        source,
                        data["start"] if data["start"] is not None else -1,
                        data["end"] if data["end"] is not None else -1,
                        quote=data["quote"],
                        by=request.user,
                        **details,
                    )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return claim_placed_response(request, source, claim)
    return reader_response(request, source, capture_form=form, status=INVALID)


@require_POST
@permission_required(workflow.CAPTURE, raise_exception=True)
def source_suggest(request, pk):
    """Propose the source's sentences worth checking again (new ones only)."""
    source = get_object_or_404(Source, pk=pk, state=SourceState.READY)
    new = suggesting.suggest_soon(source)
    if new is None:
        message = "This text is long: it is being read in the background, and its suggestions appear here when found."
    else:
        message = f"{len(new)} new suggestion{'s' if len(new) != 1 else ''}." if new else "No new suggestions."
    return suggestions_response(request, source, message)


@require_POST
@permission_required(workflow.CAPTURE, raise_exception=True)
def suggestion_dismiss(request, pk):
    suggestion = get_object_or_404(Suggestion.objects.select_related("source"), pk=pk)
    source = suggestion.source
    try:
        suggestion.dismiss(by=request.user)
    except ValidationError as error:
        message = " ".join(error.messages)
    else:
        message = f"Dismissed: “{anchoring.shorten(suggestion.sentence, 60)}”. It will not be suggested again."
    return suggestions_response(request, source, message)


def suggestions_response(request, source, message: str):
    """The reader's list of suggestions with what just happened to them (htmx), or back to the reader."""
    if not request.htmx:
        messages.info(request, message)
        return redirect(f"{source.get_absolute_url()}#source-suggestions")
    return suggestions_fragment(request, source, message)


def suggestions_fragment(request, source, message: str = "") -> HttpResponse:
    """The list of suggestions, and the text beside it swapped out of band: its underlines follow the list."""
    context = reader_page(request, source, suggestion_message=message)
    listed = render_to_string("claims/source_detail.html#source-suggestions", context, request)
    text = render_to_string("claims/source_detail.html#source-text", {**context, "out_of_band": True}, request)
    return HttpResponse(listed + text)


@require_POST
@permission_required(workflow.CAPTURE, raise_exception=True)
def claim_place(request, pk):
    claim = get_object_or_404(Claim.objects.select_related("source"), pk=pk)
    form = PlaceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim.place(
                data["start"] if data["start"] is not None else -1,
                data["end"] if data["end"] is not None else -1,
                quote=data["quote"],
                by=request.user,
                based_on=data["based_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return claim_placed_response(request, claim.source, claim)
    claim.refresh_from_db()
    return reader_response(request, claim.source, selected=claim, place_form=form, status=INVALID)


# Helpers shared by the views above.


def reader_page(request, source: Source, *, selected=None, **overrides) -> dict:
    """Everything the reader shows; queries run only for the parts being rendered."""
    claims = list(
        source.claims.select_related("verdict", "claimant").order_by("quote_start", "id")
        if source.state == SourceState.READY
        else []
    )
    if selected is not None:
        selected = next((claim for claim in claims if claim.pk == selected.pk), selected)
    may_capture = request.user.has_perm(workflow.CAPTURE)

    @functools.cache
    def suggestions():  # open ones, for those who may act on them; viewers see none
        if not may_capture or source.state != SourceState.READY:
            return []
        return list(source.suggestions.filter(state=SuggestionState.OPEN).order_by("start", "id"))

    context = {
        "source": source,
        "claims": claims,
        "orphans": [claim for claim in claims if claim.is_orphaned],
        "text": lambda: highlighted_text(source, claims, selected=selected, suggestions=suggestions()),
        "selected": selected,
        "evidence": selected.evidence.select_related("source") if selected else [],
        "may_capture": may_capture,
        "may_correct": request.user.has_perm(workflow.CORRECT_SOURCE),
        "may_fetch": request.user.has_perm(ADD_SOURCE),
        "capture_form": None,
        "place_form": PlaceForm(initial={"based_on": selected.version}) if selected is not None else None,
        "suggestions": suggestions,
        "dismissed_count": lambda: source.suggestions.filter(state=SuggestionState.DISMISSED).count(),
        "suggestion_message": "",
    }
    context.update(overrides)
    return context


def reader_response(request, source, *, status=200, **overrides):
    """The reader, or for htmx its side panel (a claim, or the form for a new one)."""
    context = reader_page(request, source, **overrides)
    if request.htmx:
        response = render(request, "claims/source_detail.html#reader-claim", context, status=status)
        return reswap(retarget(response, "#reader-claim"), "outerHTML") if status != 200 else response
    return render(request, "claims/source_detail.html", context, status=status)


def claim_placed_response(request, source, claim):
    """After a claim was captured or placed: the reader with it highlighted and open."""
    address = f"{reverse('claims:source_detail', args=[source.pk])}?claim={claim.pk}"
    if not request.htmx:
        return redirect(f"{address}#quote-{claim.pk}")
    source.refresh_from_db()
    response = render(request, "claims/source_detail.html#reader", reader_page(request, source, selected=claim))
    return push_url(reswap(retarget(response, "#reader"), "outerHTML"), address)


def capture_initial(source: Source, query) -> dict:
    """The new-claim form filled from a selection (or a suggestion): its exact words and,
    where the sentence attributes them, the speaker, matched to a known claimant if there is one."""
    suggestion = None
    if query.get("suggestion", "").isdigit():
        suggestion = source.suggestions.filter(pk=query["suggestion"], state=SuggestionState.OPEN).first()
    try:
        start, end = (suggestion.start, suggestion.end) if suggestion else (int(query["start"]), int(query["end"]))
    except (KeyError, ValueError):
        return {}
    if not 0 <= start < end <= len(source.text):
        return {}
    quote = source.text[start:end]
    prefix, suffix = anchoring.context_around(source.text, start, end)
    initial = {"quote": quote, "start": start, "end": end, "prefix": prefix, "suffix": suffix}
    if suggestion is not None:
        initial["suggestion"] = suggestion.pk
        initial["summary"] = anchoring.shorten(quote, 300)
        initial["reasons"] = suggestion.explained_reasons()
    speaker = speakers.detect_speaker(source.text, start, end)
    if speaker is not None:
        names = list(Claimant.objects.values_list("name", flat=True))
        known = speakers.match_claimant(speaker.name, names)
        if known is not None:
            initial["claimant"] = Claimant.objects.get(name=known)
        else:
            initial["new_claimant"], initial["new_claimant_role"] = speaker.name, speaker.role
        initial["speaker_evidence"] = speaker.evidence
    return initial


def new_claimant(data) -> Claimant | None:
    name = data["new_claimant"].strip()
    if not name:
        return None
    claimant = Claimant.objects.filter(name__iexact=name).first()
    return claimant or Claimant.objects.create(name=name, role=data["new_claimant_role"].strip())


def source_changes(conflict: SourceConflict) -> dict:
    """Who corrected the text since the version the person started from."""
    records = conflict.source.history.filter(version__gt=conflict.based_on).select_related("history_user")
    return {"changes": list(records.order_by("history_date")), "based_on": conflict.based_on}


def report_reanchoring(request, outcome) -> None:
    messages.success(
        request,
        f"Text corrected. {len(outcome.kept)} claim(s) kept their place, {len(outcome.moved)} moved with their words, "
        f"{len(outcome.orphaned)} could not be found again.",
    )
    for claim in outcome.orphaned:
        messages.warning(
            request,
            f"Orphaned: “{claim.summary}”. Its words are no longer in the text; select where they stand now "
            "and place it there, or set it aside.",
        )
