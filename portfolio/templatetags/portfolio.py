"""The portfolio's big repeated parts, built in Python: a thousand table rows or 5,200 heatmap
cells cost the template engine seconds and an f-string milliseconds. Every piece of user text
goes through ``escape``."""
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portfolio.selectors import provisional_since
from schedule import scheduling

register = template.Library()


@register.filter
def cells_html(person, cell_url):
    """A workload row's heatmap cells (portfolio/selectors.py: WorkloadPerson.cells_html)."""
    return person.cells_html(cell_url)


def _day(value, fmt="%Y-%m-%d"):
    return value.strftime(fmt) if value else "—"


def _signed(value):
    return f"+{value}" if value > 0 else str(value)


def _holiday_mark(row, day, provisional, title):
    """A small mark after a forecast date counted across a year with provisional holidays."""
    if not provisional_since(row, day, provisional):
        return ""
    return f' <span class="holiday-mark" title="{title}">⚠</span>'


def row_html(row, no_baseline, provisional=frozenset(), mark_title=""):
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in row.reasons)
    kind = (f'<span class="badge" title="{escape(row.scenario)}">{escape(row.scenario_kind)}</span>'
            if row.scenario_kind else "—")
    gap = ""
    if row.target_gap:
        gap = f'<div class="small {"bad" if row.target_gap > 0 else "ok"}">{_signed(row.target_gap)}</div>'
    if row.slip is None:
        slip = f'<span class="muted" title="{no_baseline}">—</span>'
    else:
        tone = "bad" if row.slip > 0 else "ok" if row.slip < 0 else ""
        slip = f'<span class="{tone}" title="{escape(row.baseline_name)}">{_signed(row.slip)}</span>'
    milestone = (f"{_day(row.next_milestone.date, '%m-%d')}"
                 f"{_holiday_mark(row, row.next_milestone.date, provisional, mark_title)}"
                 f" {escape(row.next_milestone.title)}" if row.next_milestone else "—")
    blockers = (f'<span class="warn" title="{escape("; ".join(row.blockers))}">{len(row.blockers)}</span>'
                if row.blockers else "0")
    return (
        f'<tr data-plan="{row.plan_id}">'
        f'<td><a class="plan-link" href="{escape(row.url)}">{escape(row.name)}</a>'
        f'<div class="muted small">{escape(row.workspace)}</div></td>'
        f"<td>{escape(row.product)}</td><td>{kind}</td><td>{escape(row.owner)}</td>"
        f'<td><span class="badge {escape(row.status)}">{escape(row.status_label)}</span></td>'
        f'<td class="health-cell"><span class="health {row.health}">{escape(row.health_label)}</span>'
        f'<ul class="reasons">{reasons}</ul></td>'
        f'<td class="launch">{_day(row.forecast_launch)}'
        f"{_holiday_mark(row, row.forecast_launch, provisional, mark_title)}</td>"
        f"<td>{_day(row.target)}{gap}</td>"
        f'<td class="slip">{slip}</td><td class="done">{row.percent_done}%</td>'
        f"<td>{milestone}</td><td class=\"blockers\">{blockers}</td>{interfaces_html(row)}</tr>")


def interfaces_html(row):
    """Joint-test readiness of the plan's product: cells passed of all, and how many are blocked."""
    if not row.interfaces_total:
        return '<td class="interfaces muted">—</td>'
    blocked = ""
    if row.interfaces_blocked:
        # Outside the f-string: xgettext does not read calls inside one.
        text = ngettext("%(count)s blocked", "%(count)s blocked", row.interfaces_blocked) % {
            "count": row.interfaces_blocked}
        blocked = f'<div class="small warn">{escape(text)}</div>'
    title = escape(_("Joint-test cells passed of all"))
    return (f'<td class="interfaces" title="{title}">'
            f"{row.interfaces_passed}/{row.interfaces_total}{blocked}</td>")


@register.simple_tag
def portfolio_rows_html(rows, holiday_notes=()):
    """The portfolio table's rows (one per plan; see templates/portfolio/portfolio.html).
    ``holiday_notes``: the rows' notes (selectors.holiday_notes_of_rows); forecast dates counted
    across a provisional year get a mark."""
    no_baseline = escape(_("No baseline yet"))
    provisional = scheduling.provisional_years_of(holiday_notes)
    mark_title = escape(_("Counted with provisional holidays: no 调休 make-up days yet")) if provisional else ""
    return mark_safe("\n".join(row_html(row, no_baseline, provisional, mark_title)  # noqa: S308 - escaped above
                                for row in rows))
