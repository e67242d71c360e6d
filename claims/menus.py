"""Menus of tables that run to tens of thousands of rows (sources, claimants): a
select lists a few (the chosen one, the latest), and a finder beside it fetches
others by name (`claims:filter_options`), so no page renders them all."""

from .models import Claimant, Source

MENU_SIZE = 50
MENUS = {"source": (Source, "title"), "claimant": (Claimant, "name")}


def menu_options(menu: str, *, find: str = "", selected: str | None = None) -> list[tuple[int, str]]:
    """Up to MENU_SIZE choices for the source or claimant menu: those whose name holds
    `find`, else the most recently added; the selected one always among them."""
    model, name = MENUS[menu]
    rows = model.objects.only("pk", name, *(["outlet"] if model is Source else []))
    find = find.strip()
    found = rows.filter(**{f"{name}__icontains": find}).order_by(name, "pk") if find else rows.order_by("-pk")
    options = list(found[:MENU_SIZE])
    if selected and str(selected).isdigit() and all(str(option.pk) != str(selected) for option in options):
        options = list(rows.filter(pk=selected)) + options
    return [(option.pk, str(option)) for option in options]
