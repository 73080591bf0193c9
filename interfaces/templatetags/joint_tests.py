"""The matrix's rows built in Python: 300 rows × 3 cells through the template engine cost ~9 ms a
row (seconds a page); f-strings cost well under one. Every piece of user text goes through
``escape``. The same functions draw a single cell swapped in after an edit, so both look alike."""
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import Direction, JointTest

register = template.Library()
OOB = ' hx-swap-oob="true"'


class _Texts:
    """What every row repeats, looked up once per page: translations and the cell URL pattern."""

    def __init__(self, can_edit):
        self.can_edit = can_edit
        self.select_cell = escape(_("Select this cell"))
        self.select_row = _("Select %(operation)s")
        self.evidence = escape(_("Evidence attached"))
        self.url = reverse("interfaces:joint_test_cell", args=[999999999, "ENV"])
        self.statuses = {value: escape(str(label)) for value, label in JointTest.Status.choices}
        self.sides = {value: escape(str(label)) for value, label in Direction.choices}


def _date(value):
    return value.isoformat() if value else ""


def cell_html(cell, texts, oob=False):
    pick = (f'<input type="checkbox" name="cell" value="{cell.key}" form="matrix-bulk" '
            f'aria-label="{texts.select_cell}">' if texts.can_edit else "")
    url = texts.url.replace("999999999", str(cell.interface_id)).replace("ENV", cell.environment)
    full = " · ".join(part for part in (escape(cell.tester), _date(cell.tested_on)) if part)
    who = " ".join(part for part in (escape(cell.tester), cell.tested_on.strftime("%m-%d") if cell.tested_on else "")
                   if part)
    if cell.has_evidence:
        who += f' <span title="{texts.evidence}">📎</span>'
    return (f'<td class="cell" id="cell-{cell.interface_id}-{cell.environment}"'
            f'{OOB if oob else ""}>{pick}'
            f'<button type="button" class="open" hx-get="{url}" hx-target="#side-panel" hx-swap="innerHTML" '
            f'data-env="{cell.environment}"><span class="jt {cell.tone}" data-status="{cell.status}">'
            f'{texts.statuses[cell.status]}</span></button><span class="who" title="{full}">{who}</span></td>')


def pick_html(interface, cells, texts, oob=False):
    box = ""
    if texts.can_edit:
        value = f"{interface.pk}" + "".join(f"|{cell.environment}={cell.version}" for cell in cells)
        label = escape(texts.select_row % {"operation": f"{interface.method} {interface.path}"})
        box = f'<input type="checkbox" name="row" value="{value}" form="matrix-bulk" aria-label="{label}">'
    return f'<td class="pick" id="pick-{interface.pk}"{OOB if oob else ""}>{box}</td>'


def row_html(row, texts, with_tasks):
    interface = row.interface
    path, summary = escape(interface.path), escape(interface.summary)
    tasks = ""
    if with_tasks:
        titles = escape("; ".join(row.task_titles))
        tasks = f'<td class="tasks" title="{titles}">{titles or "—"}</td>'
    return (f'<tr data-interface="{interface.pk}">{pick_html(interface, row.cells, texts)}'
            f'<td class="method">{escape(interface.method)}</td><td class="path" title="{path}">{path}</td>'
            f'<td class="summary" title="{summary}">{summary or "—"}</td>'
            f'<td class="side small">{texts.sides.get(interface.direction, "")}</td>{tasks}'
            + "".join(cell_html(cell, texts) for cell in row.cells) + "</tr>")


@register.simple_tag
def matrix_rows_html(rows, can_edit, with_tasks):
    texts = _Texts(can_edit)
    return mark_safe("\n".join(row_html(row, texts, with_tasks) for row in rows))  # noqa: S308 - escaped above


@register.simple_tag
def matrix_cell_html(cell, can_edit, oob=False):
    return mark_safe(cell_html(cell, _Texts(can_edit), oob))  # noqa: S308 - escaped above


@register.simple_tag
def matrix_pick_html(interface, cells, can_edit, oob=False):
    return mark_safe(pick_html(interface, cells, _Texts(can_edit), oob))  # noqa: S308 - escaped above
