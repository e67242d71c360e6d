"""Forms of the desk. Each validates input only; the rules of what may change
live in the domain (`Claim.transition`, `Claim.set_verdict`, …)."""

from django import forms

from . import roles
from .models import Annotation, Evidence, Rating, Source, Stance
from .workflow import Status


class BasedOnVersion(forms.Form):
    """The version of the claim the person was looking at when they acted, so a
    change based on a copy someone else has changed since is refused (EditConflict)."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class TransitionForm(BasedOnVersion):
    target = forms.ChoiceField(
        choices=Status.choices,
        error_messages={"invalid_choice": "“%(value)s” is not a status.", "required": "Choose a status."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Why this step? Kept in the history."}),
        help_text="Needed to ask for more evidence or to open a correction; optional otherwise.",
    )


class VerdictForm(BasedOnVersion):
    # hx-preserve: what an editor is typing survives the panel's refresh after a status change.
    verdict = forms.ModelChoiceField(
        queryset=Rating.objects.all(),
        to_field_name="key",
        widget=forms.Select(attrs={"hx-preserve": "true"}),
        empty_label="Choose a rating…",
        error_messages={
            "invalid_choice": "That is not a rating on the scale.",
            "required": "Choose a rating.",
        },
    )
    rationale = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "What the evidence shows, in a sentence or two.", "hx-preserve": "true"}
        ),
        error_messages={"required": "Say why: a verdict needs its rationale."},
    )


class AssignmentForm(BasedOnVersion):
    assignee = forms.ModelChoiceField(queryset=None, required=False, empty_label="Unassigned", to_field_name="username")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = roles.claim_workers()


class ReviewerForm(BasedOnVersion):
    reviewer = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No reviewer yet", to_field_name="username"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = roles.claim_reviewers()


class AnnotationForm(forms.ModelForm):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Annotation
        fields = ["body"]
        labels = {"body": "Note"}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "placeholder": "Add a note for the desk…"})}
        error_messages = {"body": {"required": "Write something before saving the note."}}


class EvidenceForm(forms.ModelForm):
    stance = forms.ChoiceField(
        choices=[("", "How does it bear on the claim?"), *Stance.choices],
        error_messages={"required": "Say whether the evidence supports, refutes or adds context."},
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.only("id", "title", "outlet"),
        required=False,
        empty_label="— a web page instead (give its URL) —",
    )

    class Meta:
        model = Evidence
        fields = ["source", "url", "stance", "excerpt"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3})}
        labels = {"url": "URL"}
