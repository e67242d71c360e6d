"""The forms of the claim admin: the change form and changelist rows, which make
workflow changes through the domain, and the bulk actions' forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from .. import anchoring, roles, workflow
from ..models import Claim, Origin, Rating, Tag, clean_tag_name
from ..resources import (
    WORKFLOW_FIELDS,
)
from ..workflow import Status

User = get_user_model()


class ClaimForm(forms.ModelForm):
    """Checks the claim's status, verdict, assignee and tag changes against the
    workflow for `user` in clean(), and makes them through the domain methods in
    apply_workflow(), after the claim's other fields are saved."""

    user = None  # set on the form class ClaimAdmin builds for each request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            # Claims go to those who may work them; a claim keeps its assignee until changed.
            self.fields["assignee"].queryset = User.objects.filter(
                Q(pk__in=roles.claim_workers().values("pk")) | Q(pk=self.instance.assignee_id)
            ).order_by(User.USERNAME_FIELD)
        if "quote" in self.fields:
            self.fields["quote"].strip = False
        if "status" in self.fields:
            moves = [
                transition.target_label for transition, _ in workflow.available_transitions(self.instance, self.user)
            ]
            self.fields["status"].help_text = (
                f"From {self.instance.get_status_display()} you may move it to {', '.join(moves)}."
                if moves
                else f"You cannot move a claim that is {self.instance.get_status_display().lower()}."
            )

    def clean(self):
        cleaned_data = super().clean()
        source, quote = cleaned_data.get("source"), cleaned_data.get("quote")
        if source is not None and quote:
            cleaned_data["quote"] = anchoring.keep_line_breaks(quote, source.text)
        self.workflow_steps = self.plan_workflow(cleaned_data)
        return cleaned_data

    def plan_workflow(self, cleaned_data) -> list:
        """The domain calls that make the requested changes, in the order the workflow
        needs, each checked first; a refused change becomes an error on its field."""
        stored, user, origin = self.instance, self.user, Origin.ADMIN
        changed = {name for name in self.changed_data if name in WORKFLOW_FIELDS and name in cleaned_data}
        target = cleaned_data["status"] if "status" in changed else stored.status
        verdict, rationale = cleaned_data.get("verdict"), cleaned_data.get("rationale", "")
        # A verdict is settled before the claim moves on (review and publishing need
        # one), unless the claim must first be reopened for its verdict to change.
        verdict_first = workflow.verdict_lock(stored) is None
        steps = {}
        if "assignee" in changed:
            assignee = cleaned_data["assignee"]
            steps["assignee"] = self.checked(
                "assignee",
                lambda: workflow.check_assignment(user),
                lambda claim: claim.assign(assignee, by=user, origin=origin),
            )
        if "tags" in changed:
            tags = set(cleaned_data["tags"])
            steps["tags"] = self.checked(
                "tags", lambda: workflow.check_tagging(user), lambda claim: claim.set_tags(tags, by=user, origin=origin)
            )
        if changed & {"verdict", "rationale"}:
            deciding = Claim(status=stored.status if verdict_first else target)
            if not rationale.strip():
                self.add_error("rationale", "Say why: a verdict needs its rationale.")
            steps["verdict"] = self.checked(
                "verdict",
                lambda: workflow.check_verdict_change(deciding, user),
                lambda claim: claim.set_verdict(verdict, by=user, rationale=rationale, origin=origin),
            )
        if target != stored.status:
            verdict_id = getattr(verdict, "pk", None) if "verdict" in changed and verdict_first else stored.verdict_id
            moving = Claim(status=stored.status, verdict_id=verdict_id)
            steps["status"] = self.checked(
                "status",
                lambda: workflow.check_transition(moving, target, user),
                lambda claim: claim.transition(target, by=user, origin=origin),
            )
        order = ["assignee", "tags", *(["verdict", "status"] if verdict_first else ["status", "verdict"])]
        return [steps[name] for name in order if steps.get(name)]

    def checked(self, field, check, step):
        """`step` if `check` lets this user make it, otherwise None and the reason on `field`."""
        try:
            check()
        except ValidationError as error:
            self.add_error(field, error.messages)
        except PermissionDenied as error:
            self.add_error(field, str(error))
        else:
            return step
        return None

    def apply_workflow(self, claim: Claim) -> None:
        for step in self.workflow_steps:
            step(claim)


class ClaimChangelistForm(ClaimForm):
    """A row of the changelist's editable status and assignee columns."""

    worker_choices = []  # (pk, name) of the claim workers, read once per changelist page

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fixed choices, so rendering a page of rows does not query the users once per row.
        field = self.fields["assignee"]
        choices = [("", field.empty_label), *self.worker_choices]
        assignee = self.instance.assignee
        if assignee is not None and assignee.pk not in dict(self.worker_choices):
            choices.append((assignee.pk, str(assignee)))
        field.choices = choices


class BulkStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=Status.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Recorded in each claim's history."
    )


class BulkVerdictForm(forms.Form):
    verdict = forms.ModelChoiceField(Rating.objects.all())
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="Why; kept with each verdict.")


class BulkAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(roles.claim_workers(), help_text="An editor, a reviewer or a superuser.")


class BulkTagForm(forms.Form):
    tag = forms.CharField(max_length=Tag._meta.get_field("name").max_length, help_text="Created if it does not exist.")

    def clean_tag(self):
        return clean_tag_name(self.cleaned_data["tag"])
