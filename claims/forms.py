"""Forms of the desk. Each validates input only; the rules of what may change
live in the domain (`Claim.transition`, `Claim.set_verdict`, …)."""

import functools

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import roles
from .menus import menu_options
from .models import Annotation, Claim, Claimant, ClaimKind, Evidence, Rating, Source, Stance
from .workflow import Status


class PlainSelect(forms.Select):
    """A select rendered in one pass. Django renders each option through its own template,
    which on a page of many menus (a changelist of editable rows, the claim page) is most of
    its time (measured here: ~5,000 option templates, two thirds of a 500 ms page at 100,000
    claims). The escaped options of a menu are kept, so fifty rows offering the same people
    escape their names once."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in (value if isinstance(value, list | tuple) else [value]) if item is not None}
        options = _option_tags(tuple((str(option), str(label)) for option, label in self.choices))
        return format_html(
            "<select{}>{}</select>",
            flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})),
            mark_safe("".join(selected if option in chosen else plain for option, plain, selected in options)),
        )


@functools.lru_cache(maxsize=256)
def _option_tags(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, the option's HTML, the same option selected) for each choice."""
    return tuple(
        (
            option,
            format_html('<option value="{}">{}</option>', option, label),
            format_html('<option value="{}" selected>{}</option>', option, label),
        )
        for option, label in choices
    )


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
        widget=PlainSelect(attrs={"hx-preserve": "true"}),
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
    assignee = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Unassigned", to_field_name="username", widget=PlainSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = roles.claim_workers()


class ReviewerForm(BasedOnVersion):
    reviewer = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No reviewer yet", to_field_name="username", widget=PlainSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = roles.claim_reviewers()


class DuplicateForm(BasedOnVersion):
    """Mark a claim as a duplicate of `original` (or, `removing`, not a duplicate any more)."""

    original = forms.ModelChoiceField(
        queryset=Claim.objects.only("id", "summary"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That claim no longer exists."},
    )

    def __init__(self, *args, removing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].required = not removing
        self.fields["original"].error_messages["required"] = "Choose the claim this one repeats."


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
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        selected = self.data.get("source") if self.is_bound else None
        field.widget.choices = [("", field.empty_label), *menu_options("source", selected=selected)]

    class Meta:
        model = Evidence
        fields = ["source", "url", "stance", "excerpt"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3})}
        labels = {"url": "URL"}


class SourceDetailsForm(forms.ModelForm):
    """What a person may say about a source they add; the text comes from one of the forms below."""

    class Meta:
        model = Source
        fields = ["title", "outlet", "kind", "published_on"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"title": "Leave empty to take the headline from the text."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False


class PastedSourceForm(SourceDetailsForm):
    how = "paste"
    text = forms.CharField(
        strip=False,
        max_length=1_000_000,
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": "Paste the article's text here."}),
        error_messages={"required": "Paste the article's text."},
    )
    url = forms.URLField(
        label="Where it was published",
        required=False,
        assume_scheme="https",
        help_text="Optional: the article's address, for the record.",
    )

    class Meta(SourceDetailsForm.Meta):
        fields = ["title", "outlet", "kind", "published_on", "url"]


class UploadedSourceForm(SourceDetailsForm):
    how = "upload"
    file = forms.FileField(
        label="File",
        help_text="A .txt or .html file.",
        error_messages={"required": "Choose a .txt or .html file.", "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SOURCE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; sources can be up to {limit / 1_000_000:.0f} MB.",
                code="too_large",
            )
        return upload


class FetchedSourceForm(SourceDetailsForm):
    how = "fetch"
    url = forms.URLField(
        label="Address",
        assume_scheme="https",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        error_messages={"required": "Give the page's address.", "invalid": "That is not a web address."},
        help_text="Claimdesk fetches the page in the background and keeps the article's own text.",
    )

    class Meta(SourceDetailsForm.Meta):
        fields = ["title", "outlet", "kind", "published_on", "url"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http:// and https:// addresses can be fetched.", code="scheme")
        return url


class SourceTextForm(forms.Form):
    """A correction of a source's text, based on the version the person was looking at."""

    text = forms.CharField(
        strip=False,
        max_length=1_000_000,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": "A source's text cannot be emptied: its claims quote it."},
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CaptureForm(forms.Form):
    """A new claim from words selected in the reader."""

    quote = forms.CharField(
        strip=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The exact words of the source; select them in the text to fill this in.",
        error_messages={"required": "Select the claim's words in the text first."},
    )
    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    suggestion = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    summary = forms.CharField(
        max_length=300,
        help_text="The claim in your words, as the desk will list it.",
        error_messages={"required": "Say in a line what the claim is."},
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices, initial=ClaimKind.STATISTIC)
    claimant = forms.ModelChoiceField(
        queryset=Claimant.objects.all(), required=False, empty_label="— nobody yet, or a new claimant below —"
    )
    new_claimant = forms.CharField(
        label="New claimant", max_length=200, required=False, help_text="A person or organisation not listed above."
    )
    new_claimant_role = forms.CharField(label="Their role", max_length=200, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("claimant") and cleaned_data.get("new_claimant"):
            raise forms.ValidationError("Choose a claimant or name a new one, not both.", code="two_claimants")
        return cleaned_data


class PlaceForm(BasedOnVersion):
    """Where an orphaned claim's words stand now, selected in the reader."""

    quote = forms.CharField(
        label="Its words as they stand now",
        strip=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select them in the text, or copy them here exactly.",
        error_messages={"required": "Select the words in the text first."},
    )
    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
