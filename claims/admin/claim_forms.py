"""The forms of the claim admin: the change form and changelist rows, which change a
claim only through the domain and never over someone else's newer change, and the
bulk actions' forms."""

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from .. import anchoring, roles, workflow
from ..forms import PlainSelect
from ..models import EDITABLE_DETAILS, Claim, EditConflict, Origin, Rating, StatusStyle, Tag, clean_tag_name
from ..resources import OFFSETS, WORKFLOW_FIELDS, change_claim, move_needing_a_note, stale_message
from ..workflow import Status

User = get_user_model()

# What the forms may ask of a claim; change_claim() makes each change through the domain.
CHANGEABLE = (*EDITABLE_DETAILS, *OFFSETS, *WORKFLOW_FIELDS)


class VersionField(forms.IntegerField):
    """The claim's version when the person opened it. Not something they change, so it
    never makes a form count as changed; it is compared with the stored one on save."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


def people(queryset, keep):
    """The users of `queryset`, plus `keep` (a claim keeps its person until changed)."""
    return User.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=keep)).order_by(User.USERNAME_FIELD)


class ClaimForm(forms.ModelForm):
    """A claim's add and change form. Once the form is otherwise valid, the claim is
    locked (the admin's view runs in a transaction, so until the save) and every change
    is tried through the domain in a savepoint that is always rolled back: what the
    workflow refuses this user (a missing rationale, evidence or note, publishing one's
    own verdict…) becomes an error on its field, and any change to the claim since the
    form was opened refuses the whole save (the form would undo it). save_claim() then
    makes the same changes for real."""

    based_on = VersionField(
        min_value=1,
        required=False,
        error_messages={"required": "The form lacks the claim's version: reload the page and make your change again."},
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the timeline with a status change. “Needs more evidence” and “Open a correction” "
        "need one; a correction's is shown to readers.",
    )

    user = None  # set on the form class ClaimAdmin builds for each request
    status_labels = None  # the desk's status names, read once per request
    worker_choices = []  # (pk, name) of the claim workers, when read once for many forms (the changelist)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        self.fields["based_on"].required = not adding
        self.fields["based_on"].initial = None if adding else self.instance.version
        # A page of changelist rows shows the workers read once (worker_choices); a form that is
        # sent still checks the person against the database.
        if "assignee" in self.fields and (self.is_bound or not self.worker_choices):
            self.fields["assignee"].queryset = people(roles.claim_workers(), self.instance.assignee_id)
        if "reviewer" in self.fields:
            self.fields["reviewer"].queryset = people(roles.claim_reviewers(), self.instance.reviewer_id)
        if "quote" in self.fields:
            self.fields["quote"].strip = False
        if "status" in self.fields:
            labels = self.status_labels or StatusStyle.objects.labels()
            self.fields["status"].choices = [(status, labels[status]) for status in Status.values]
            self.fields["status"].help_text = self.describe_moves(labels)

    def describe_moves(self, labels) -> str:
        moves = workflow.available_transitions(self.instance, self.user)
        here = labels[self.instance.status]
        if not moves:
            return f"You cannot move a claim that is {here.lower()}."
        targets = ", ".join(labels[move.target] for move, _ in moves)
        notes = [blocked for _, blocked in moves if blocked]
        notes += [f"“{move.action}” needs a note." for move, _ in moves if move.note_required]
        return " ".join([f"From {here} you may move it to {targets}.", *notes])

    def clean(self):
        cleaned_data = super().clean()
        source, quote = cleaned_data.get("source"), cleaned_data.get("quote")
        if source is not None and quote:
            cleaned_data["quote"] = anchoring.keep_line_breaks(quote, source.text)
        if cleaned_data.get("note", "").strip() and cleaned_data.get("status") == self.instance.status:
            # Only a status change keeps a note: without one, the note would be lost unsaid.
            self.add_error("note", "A note goes with a status change: choose the new status too.")
        return cleaned_data

    def _post_clean(self):
        # After the model's own validation (as Django's UserCreationForm checks its
        # password), so only an otherwise valid form is tried against the workflow.
        super()._post_clean()
        if self._errors or not self.has_changed():
            return
        if self.instance.pk is not None:
            # Held until the admin's transaction ends: nobody changes the claim between this check and the save.
            Claim.objects.select_for_update().only("pk").get(pk=self.instance.pk)
        with transaction.atomic():
            try:
                self.save_claim(copy.copy(self.instance))
            except EditConflict as conflict:
                self.refuse_stale(conflict)
            except forms.ValidationError as error:
                by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
                for field, errors in by_field.items():
                    self.add_error(field if field in self.fields else None, errors)
            transaction.set_rollback(True)

    def save_claim(self, claim: Claim) -> None:
        """Create the claim if new, then make the form's changes through the domain,
        recorded as this user's from the admin."""
        data = self.cleaned_data
        if claim.pk is None:
            # A claim starts new and without verdict or people: the domain gives it those, recording each.
            claim.verdict, claim.rationale, claim.assignee, claim.reviewer = None, "", None, None
            claim.save()
        wanted = {name: data[name] for name in CHANGEABLE if name in data}
        change_claim(
            claim.pk, wanted, by=self.user, origin=Origin.ADMIN, note=data.get("note", ""), based_on=data["based_on"]
        )

    def refuse_stale(self, conflict: EditConflict) -> None:
        self.add_error(
            None,
            forms.ValidationError(
                "This claim was changed after you opened it, so nothing was saved: "
                f"{stale_message(conflict)}. Reload the page to see the claim as it is now; "
                "your input is kept below to copy from.",
                code="edit_conflict",
            ),
        )


class ClaimChangelistForm(ClaimForm):
    """A row of the changelist's editable status and assignee columns. The columns post
    the values the page showed (show_hidden_initial), so a row counts as changed only
    when the person changed it; a changed row whose claim someone else changed since
    the page was loaded is refused with a message and not saved, the others are."""

    request = None  # for the message that refuses a stale row

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        # There is no room for a note in a row: moves that need one are made on the claim's page.
        del self.fields["note"]
        # Fixed choices, so rendering a page of rows does not query the users once per row.
        field = self.fields["assignee"]
        choices = [("", field.empty_label), *self.worker_choices]
        assignee = self.instance.assignee
        if assignee is not None and assignee.pk not in dict(self.worker_choices):
            choices.append((assignee.pk, str(assignee)))
        field.choices = choices
        for name in ("status", "assignee"):
            self.fields[name].show_hidden_initial = True
            self.fields[name].widget = PlainSelect(
                attrs=self.fields[name].widget.attrs, choices=self.fields[name].choices
            )

    def describe_moves(self, labels) -> str:
        return ""  # not shown in a row, and it would cost queries per row

    def clean(self):
        cleaned_data = super().clean()
        move = move_needing_a_note(self.instance, cleaned_data.get("status"))
        if move is not None:
            self.add_error("status", f"“{move.action}” needs a note: make this move on the claim's page.")
        return cleaned_data

    def refuse_stale(self, conflict: EditConflict) -> None:
        self.conflict = conflict
        claim = conflict.claim
        messages.error(
            self.request,
            f"Claim #{claim.pk} “{anchoring.shorten(claim.summary, 60)}” was not changed: since this page was "
            f"loaded, {stale_message(conflict)}. It is shown below as it is now; make your change again if it "
            "still stands.",
        )

    def has_changed(self):
        # A row refused as stale is not saved; the admin saves only changed rows.
        return self.conflict is None and super().has_changed()


class BulkStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=Status.choices)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in each claim's timeline. “Needs more evidence” and “Open a correction” need one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = StatusStyle.objects.labels()
        self.fields["status"].choices = [(status, labels[status]) for status in Status.values]


class BulkVerdictForm(forms.Form):
    verdict = forms.ModelChoiceField(Rating.objects.all())
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="Why; kept with each verdict.")


class BulkAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(roles.claim_workers(), help_text="An editor, a reviewer or a superuser.")


class BulkTagForm(forms.Form):
    tag = forms.CharField(max_length=Tag._meta.get_field("name").max_length, help_text="Created if it does not exist.")

    def clean_tag(self):
        return clean_tag_name(self.cleaned_data["tag"])
