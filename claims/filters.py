"""The desk's filters and sort orders, as a django-filter FilterSet.

Filters use readable values (status and rating keys, tag names, usernames) so a
filtered desk's address can be read, bookmarked and shared.
"""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When

from . import queues, roles, search, workflow
from .forms import PlainSelect
from .menus import MENUS, menu_options
from .models import Claim, Claimant, NumbersCheck, Rating, Source, Tag
from .paging import Key
from .workflow import Status

# Each sort ends in a unique key, so the desk can page by key (claims.paging).
SORTS = {
    # Without a search nothing is ranked, and best match is most recently changed first (see sort_by).
    "relevance": (
        "Best match",
        [Key(search.RANK, descending=True), Key("updated_at", descending=True), Key("id", descending=True)],
    ),
    "-updated": ("Recently changed", [Key("updated_at", descending=True), Key("id", descending=True)]),
    "updated": ("Least recently changed", [Key("updated_at"), Key("id")]),
    "-created": ("Newest first", [Key("created_at", descending=True), Key("id", descending=True)]),
    "created": ("Oldest first", [Key("created_at"), Key("id")]),
    "status": (
        "Status, in workflow order",
        [Key("status_rank"), Key("updated_at", descending=True), Key("id", descending=True)],
    ),
    "verdict": (
        "Verdict, truest first",
        [
            Key("verdict__value", descending=True, nullable=True),
            Key("verdict__position", nullable=True),
            Key("id", descending=True),
        ],
    ),
    "source": ("Source", [Key("source__title"), Key("quote_start"), Key("id")]),
    "claimant": (
        "Claimant",
        [
            Key("claimant__name", nullable=True),
            Key("updated_at", descending=True),
            Key("id", descending=True),
        ],
    ),
}
# Best match when searching, else most recently changed: the first choice in the form, so
# the form, the shared address (which leaves the default out) and the list all agree.
DEFAULT_SORT = "relevance"

ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"
CHANGED_SINCE_SEEN = "since-seen"
NUMBERS_INCONSISTENT = "numbers"
DUPLICATE = "duplicate"


def _assignee_choices():
    return [(ASSIGNED_TO_ME, "Me"), (UNASSIGNED, "Unassigned")] + [
        (user.username, user.get_full_name() or user.username) for user in roles.claim_workers()
    ]


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": "Words in the claim, quote, claimant or source"}),
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    verdict = django_filters.ModelChoiceFilter(
        queryset=Rating.objects.all(), to_field_name="key", empty_label="Any verdict"
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.only("id", "title", "outlet"), empty_label="Any source"
    )
    claimant = django_filters.ModelChoiceFilter(queryset=Claimant.objects.all(), empty_label="Anyone")
    assignee = django_filters.ChoiceFilter(
        choices=_assignee_choices, method="filter_assignee", label="Assigned to", empty_label="Anyone"
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), to_field_name="name", empty_label="Any tag"
    )
    changed = django_filters.ChoiceFilter(
        choices=[(CHANGED_SINCE_SEEN, "Since I last looked")],
        method="filter_changed",
        label="Changed by others",
        empty_label="Any time",
    )
    anchor = django_filters.ChoiceFilter(
        choices=[("orphaned", "Orphaned: not found in the corrected source")],
        method="filter_anchor",
        label="Place in source",
        empty_label="Anywhere",
    )
    flag = django_filters.ChoiceFilter(
        choices=[
            (NUMBERS_INCONSISTENT, "Numbers that do not add up"),
            (DUPLICATE, "Duplicates of other claims"),
        ],
        method="filter_flag",
        label="Flagged",
        empty_label="Flagged or not",
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="sort_by",
        label="Sort",
        empty_label=None,
    )

    class Meta:
        model = Claim
        fields = [
            "q",
            "status",
            "verdict",
            "source",
            "claimant",
            "assignee",
            "tag",
            "changed",
            "anchor",
            "flag",
            "sort",
        ]

    def filter_queryset(self, queryset):
        # Each claim says whether someone else changed it since this person last opened it:
        # the desk marks those rows, and the `changed` filter keeps only them. Computed in the
        # page's own query (counts leave it out), so it adds no query to the desk.
        queryset = queryset.annotate(changed_since_seen=queues.changed_since_seen_condition(self.request.user))
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.sort_by(queryset, "sort", DEFAULT_SORT)
        return queryset

    def filter_text(self, queryset, name, value):
        return search.search_claims(queryset, value)

    @property
    def form(self):
        # Sources and claimants run to tens of thousands: their menus list a few (the chosen
        # one, the latest) and the desk's finder fetches others by name (menu_options).
        form = super().form
        if not getattr(form, "menus_limited", False):
            form.menus_limited = True
            # Every menu in one pass, not a template per option (the tags alone are 200).
            for field in form.fields.values():
                if type(field.widget) is forms.Select:
                    field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            for name in MENUS:
                field = form.fields[name]
                field.widget.choices = [("", field.empty_label), *menu_options(name, selected=self.data.get(name))]
        return form

    def filter_assignee(self, queryset, name, value):
        if value == ASSIGNED_TO_ME:
            return queryset.filter(assignee=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee__username=value)

    def filter_changed(self, queryset, name, value):
        return queryset.filter(changed_since_seen=True)

    def filter_anchor(self, queryset, name, value):
        return queryset.filter(orphaned_at__isnull=False)

    def filter_flag(self, queryset, name, value):
        if value == NUMBERS_INCONSISTENT:
            return queryset.filter(numbers_check=NumbersCheck.INCONSISTENT)
        return queryset.filter(duplicate_of__isnull=False)

    def sort_by(self, queryset, name, value):
        if value == "relevance" and not search.is_ranked(queryset):
            value = "-updated"
        if value == "status":
            queryset = queryset.annotate(
                status_rank=Case(
                    *(When(status=status, then=Value(rank)) for rank, status in enumerate(workflow.STATUS_ORDER)),
                    output_field=IntegerField(),
                )
            )
        self.sort_keys = SORTS[value][1]
        return queryset.order_by(*(key.order_by() for key in self.sort_keys))

    def without(self, name: str) -> "ClaimFilter":
        """The same filters minus one, e.g. to count claims per status across all statuses."""
        data = self.data.copy()
        data.pop(name, None)
        return type(self)(data, queryset=self.queryset, request=self.request)

    @property
    def active_filters(self) -> list[str]:
        return [name for name in self.form.fields if name != "sort" and self.data.get(name)]
