"""Who may do what to which object: small predicates that views check and
templates use to decide which controls to show. Workflow rules (status, verdict,
assignment) live in `claims.workflow`."""

from . import workflow
from .models import Annotation, Claim


def can_annotate(user) -> bool:
    return user.has_perm("claims.add_annotation")


def can_edit_annotation(user, annotation: Annotation) -> bool:
    """Editors edit their own notes only: a note speaks for its author."""
    return annotation.author_id == user.pk and user.has_perm("claims.change_annotation")


def can_delete_annotation(user, annotation: Annotation) -> bool:
    return annotation.author_id == user.pk and user.has_perm("claims.delete_annotation")


def can_add_evidence(user) -> bool:
    return user.has_perm("claims.add_evidence")


def can_assign(user) -> bool:
    return user.has_perm(workflow.ASSIGN)


def claim_controls(user, claim: Claim) -> dict:
    """Which editing controls the claim page shows this user."""
    return {
        "transitions": workflow.available_transitions(claim, user),
        "may_change_status": user.has_perm(workflow.CHANGE_STATUS),
        "transitions_for_others": workflow.transitions_for_others(claim, user),
        "can_set_verdict": workflow.can_change_verdict(claim, user),
        "verdict_locked": workflow.verdict_lock(claim) if user.has_perm(workflow.SET_VERDICT) else None,
        "can_annotate": can_annotate(user),
        "can_add_evidence": can_add_evidence(user),
        "can_assign": can_assign(user),
        # Marking duplicates moves a claim's verdict with another's: as much as a status change.
        "can_mark_duplicate": user.has_perm(workflow.CHANGE_STATUS),
    }
