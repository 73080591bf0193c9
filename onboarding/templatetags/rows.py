"""Template helpers for inline rows (see onboarding/inline.py)."""
from django import template
from django.urls import reverse

from onboarding.deletion import confirmation

register = template.Library()


@register.inclusion_tag("includes/row_actions.html", takes_context=True)
def row_actions(context, url_prefix, obj, parent=None):
    """Edit / delete / move buttons of one row; url_prefix is e.g. "onboarding:lane".

    Moves and deletes re-render the parent's whole list, whose DOM id follows
    RowKind.list_id: "<name>-list-<parent pk>".
    """
    plan = context["plan"]
    parent = plan if parent is None else parent
    list_id = f"{url_prefix.split(':')[-1]}-list-{parent.pk}"

    def url(action, *extra):
        return reverse(f"{url_prefix}_{action}", args=[plan.pk, obj.pk, *extra])

    return {
        "plan": plan, "list_id": list_id, "edit_url": url("edit"), "delete_url": url("delete"),
        "move_url_up": url("move", "up"), "move_url_down": url("move", "down"),
        # A delete says which version it saw: a row someone changed meanwhile is not deleted blind.
        "version": getattr(obj, "version", ""),
        "confirm": confirmation(obj),
    }


@register.inclusion_tag("includes/add_row.html", takes_context=True)
def add_row(context, url_prefix, label, parent=None):
    plan = context["plan"]
    args = [plan.pk] if parent is None else [plan.pk, parent.pk]
    return {"plan": plan, "add_url": reverse(f"{url_prefix}_add", args=args), "add_label": label}
