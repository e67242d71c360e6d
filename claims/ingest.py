"""Adding a source to the desk: from pasted text, an uploaded file, or an address
fetched in the background (`claims.tasks.fetch_source`, run by `db_worker`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from . import extraction, fetching, suggesting
from .models import Source, SourceState


def add_pasted(*, text: str, by, **details) -> Source:
    """A source from text someone pasted: line breaks normalised, page debris removed."""
    cleaned = extraction.clean_text(text)
    if not cleaned:
        raise ValidationError({"text": "Paste the article's text."}, code="empty_text")
    return _create(text=cleaned, title=details.pop("title", "") or first_line(cleaned), by=by, **details)


def add_uploaded(*, name: str, content: bytes, by, **details) -> Source:
    """A source from an uploaded .txt or .html file; HTML is reduced to the article's own text."""
    try:
        extracted = extraction.extract_upload(name, content)
    except extraction.ExtractionError as error:
        raise ValidationError({"file": str(error)}, code="unreadable_file") from error
    title = details.pop("title", "") or extracted.title or first_line(extracted.text) or name
    details.setdefault("outlet", extracted.outlet)
    if not details.get("published_on"):
        details["published_on"] = extracted.published_on
    return _create(text=extracted.text, title=title, by=by, **details)


def add_from_address(*, url: str, by, **details) -> Source:
    """A source to be fetched from `url` in the background; it shows its progress until then."""
    from .tasks import fetch_source

    title = details.pop("title", "") or address_title(url)
    source = _create(text="", title=title, url=url, state=SourceState.QUEUED, by=by, **details)
    transaction.on_commit(lambda: fetch_source.enqueue(source.pk))
    return source


def fetch_again(source: Source, *, by) -> None:
    """Queue a failed fetch again."""
    from .tasks import fetch_source

    with transaction.atomic():
        updated = Source.objects.filter(pk=source.pk, state=SourceState.FAILED).update(
            state=SourceState.QUEUED, fetch_error=""
        )
        if not updated:
            raise ValidationError("Only a source whose fetch failed can be fetched again.", code="not_failed")
        transaction.on_commit(lambda: fetch_source.enqueue(source.pk))


def fetch_into(source_id: int) -> str:
    """Fetch a queued source's address and fill in its text; on failure, record why.

    Runs in the worker. Returns the source's state, for the task's result."""
    claimed = Source.objects.filter(pk=source_id, state=SourceState.QUEUED).update(state=SourceState.FETCHING)
    if not claimed:
        return "skipped"  # fetched already, or deleted, or queued twice
    source = Source.objects.get(pk=source_id)
    try:
        fetched = fetching.fetch(
            source.url,
            allow_private=settings.FETCH_ALLOW_PRIVATE_ADDRESSES,
            timeout=settings.FETCH_TIMEOUT_SECONDS,
            max_bytes=settings.FETCH_MAX_BYTES,
        )
        extracted = extraction.extract(fetched.content, fetched.content_type, charset=fetched.charset, url=fetched.url)
    except (fetching.FetchError, extraction.ExtractionError) as error:
        Source.objects.filter(pk=source_id).update(state=SourceState.FAILED, fetch_error=str(error))
        return SourceState.FAILED
    source.receive_fetched(
        text=extracted.text,
        title=extracted.title if source.title == address_title(source.url) else source.title,
        outlet=extracted.outlet,
        published_on=extracted.published_on,
        final_url=fetched.url,
    )
    suggesting.suggest_for(source)  # already in the worker: no need to queue it again
    return SourceState.READY


def _create(*, text: str, title: str, by, state: str = SourceState.READY, **details) -> Source:
    duplicate = _same_source(text=text, url=details.get("url", ""))
    if duplicate is not None:
        raise ValidationError(
            f"This source is already on the desk: “{duplicate}” (source {duplicate.pk}).", code="duplicate_source"
        )
    source = Source(text=text, title=title[:300], state=state, added_by=by, **details)
    source.full_clean()
    source._history_user = by
    source.save()
    suggesting.suggest_soon(source)  # a source arriving with its text: what is worth checking in it
    return source


def _same_source(*, text: str, url: str) -> Source | None:
    if url:
        found = Source.objects.filter(url=url).first()
        if found is not None:
            return found
    return Source.objects.filter(text=text).exclude(text="").first() if text else None


def first_line(text: str, length: int = 200) -> str:
    """The first non-empty line, when short enough to be a headline."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= length else ""
    return ""


def address_title(url: str) -> str:
    """What a source fetched from `url` is called until its page's own title is known."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}".rstrip("/") or url
