"""A claim's timeline: its workflow events (status, verdict, people, tags,
corrections, edits) merged with what the audit trail kept of its notes and
evidence (added, edited, deleted), newest first. Three queries, whatever the length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Annotation, Claim, ClaimEvent, Evidence


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: object  # a user, or None for the system
    event: ClaimEvent | None = None  # a workflow change, shown by claims/_event.html
    subject: str = ""  # "note" or "evidence"
    action: str = ""  # "added", "edited", "deleted"
    text: str = ""
    previous_text: str = ""


def claim_timeline(claim: Claim) -> list[Entry]:
    entries = [Entry(at=event.at, actor=event.actor, event=event) for event in claim.events.select_related("actor")]
    entries += _audited(Annotation.history.filter(claim_id=claim.pk), "note", "author", lambda row: row.body)
    entries += _audited(
        Evidence.history.filter(claim_id=claim.pk),
        "evidence",
        "added_by",
        lambda row: " · ".join(part for part in [row.get_stance_display(), row.url, row.excerpt] if part),
    )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _audited(history, subject: str, author_field: str, describe) -> list[Entry]:
    """Entries from audit rows: each row compared with the one before it of the same record."""
    entries, previous = [], {}
    for row in history.select_related("history_user", author_field).order_by("history_date", "history_id"):
        before = previous.get(row.id)
        previous[row.id] = row
        text = describe(row)
        if row.history_type == "+":
            # The record's own creation time and author: audit rows written when the
            # trail began (or when a fixture was loaded) are later than the note itself.
            entries.append(
                Entry(row.created_at, getattr(row, author_field), subject=subject, action="added", text=text)
            )
        elif row.history_type == "~":
            old = describe(before) if before else ""
            if old != text:
                entries.append(
                    Entry(
                        row.history_date,
                        row.history_user,
                        subject=subject,
                        action="edited",
                        text=text,
                        previous_text=old,
                    )
                )
        else:
            entries.append(Entry(row.history_date, row.history_user, subject=subject, action="deleted", text=text))
    return entries
