"""Template tags for showing claims: status badges with the newsroom's own names."""

from django import template
from django.utils.html import format_html

from ..workflow import Status

register = template.Library()


@register.simple_tag(takes_context=True)
def status_label(context, status: str) -> str:
    labels = context.get("status_labels") or dict(Status.choices)
    return labels.get(status, status)


@register.simple_tag(takes_context=True)
def status_badge(context, status: str) -> str:
    # format_html rather than a template: a desk page shows some forty badges.
    return format_html('<span class="badge status" data-status="{}">{}</span>', status, status_label(context, status))


@register.filter
def plain_number(value) -> str:
    """A quantity as an editor writes it: 43,000,000 and 0.2, never 4.3E+7 or 0.20."""
    if value is None or value == "":
        return ""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,f}".rstrip("0")
