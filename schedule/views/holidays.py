"""The Holidays page (staff): where each year's days off come from, and entering a year's official
schedule by pasting the State Council's notice. Saving reschedules the plans running through it."""
import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.query_strings import whole_number
from onboarding.access import can_manage_holidays

from .. import holiday_years
from ..engine.calendar import FIRST_DATE, LAST_DATE

LIST_PAGE = "schedule/holidays.html"
YEAR_PAGE = "schedule/holiday_year.html"


class HolidayScheduleForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("The official schedule"), max_length=20000, strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=gettext_lazy("Paste the State Council's notice, or one date a line: “2027-02-06 holiday”, "
                               "“2027年2月20日 上班”. Ranges such as “2月6日至12日放假” work too."))
    note = forms.CharField(label=gettext_lazy("Source"), max_length=200, required=False,
                           help_text=gettext_lazy("e.g. the notice's number, 国办发明电〔2026〕X号"))

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.parsed = None

    def clean_text(self):
        text = self.cleaned_data["text"]
        self.parsed = holiday_years.parse_holidays(text, year=self.year)
        if self.parsed.errors:
            raise ValidationError(self.parsed.errors)
        return text


def _staff_only(request):
    # Others get 403 like a reader who may not write.
    if not can_manage_holidays(request.user):
        raise PermissionDenied("Only staff enter official holiday schedules.")


def _year_or_404(year):
    if not FIRST_DATE.year <= year <= LAST_DATE.year:
        raise Http404("No such year")
    return year


@login_required
@require_GET
def holidays_page(request):
    _staff_only(request)
    wanted = request.GET.get("year", "")
    if wanted:
        year = whole_number(wanted)
        if year is not None and FIRST_DATE.year <= year <= LAST_DATE.year:
            return redirect("schedule:holiday_year", year)
        messages.error(request, _("Enter a year from %(first)s to %(last)s.")
                       % {"first": FIRST_DATE.year, "last": LAST_DATE.year})
    return render(request, LIST_PAGE, {"rows": holiday_years.year_rows(), "first_year": FIRST_DATE.year,
                                       "last_year": LAST_DATE.year})


def _year_context(year, form, **extra):
    source, days_off, makeup = holiday_years.year_detail(year)
    current = holiday_years.ParsedLine(number=0, text="", off=days_off, work=makeup)
    return {"year": year, "form": form, "source": source, "state_label": holiday_years.state_label(source),
            "current_runs": current.runs(), "current_off": len(days_off), "current_work": len(makeup),
            "plan_count": len(holiday_years.plans_crossing(year)), **extra}


@login_required
@require_http_methods(["GET", "POST"])
def holiday_year(request, year):
    """GET: the year as counted now and the paste form. POST: preview what was understood,
    then (action=save, the same text) save it and reschedule."""
    _staff_only(request)
    year = _year_or_404(year)
    if request.method != "POST":
        form = HolidayScheduleForm(year=year, initial={"text": holiday_years.schedule_text(year)})
        return render(request, YEAR_PAGE, _year_context(year, form))
    form = HolidayScheduleForm(request.POST, year=year)
    if not form.is_valid():
        return render(request, YEAR_PAGE, _year_context(year, form, parsed=form.parsed), status=422)
    checked = _fingerprint(form.cleaned_data["text"])
    if request.POST.get("action") != "save" or request.POST.get("checked") != checked:
        # Only a text whose reading was shown is saved: an edit after the preview is previewed again.
        changed = request.POST.get("action") == "save"
        return render(request, YEAR_PAGE, _year_context(year, form, parsed=form.parsed, preview=True,
                                                        checked=checked, changed=changed))
    days = form.parsed.years().get(year, {"holidays": [], "makeup_workdays": []})
    try:
        row, outcome = holiday_years.holiday_year_save(
            year=year, holidays=days["holidays"], makeup_workdays=days["makeup_workdays"],
            note=form.cleaned_data["note"])
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, YEAR_PAGE, _year_context(year, form, parsed=form.parsed), status=422)
    messages.success(request, _report(row, outcome))
    for plan, message in outcome.refused:
        messages.warning(request, _("“%(plan)s” kept its dates: %(reason)s") % {"plan": plan.name, "reason": message})
    return redirect("schedule:holidays")


def _fingerprint(text):
    return hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()[:16]


def _report(row, outcome):
    saved = _("%(year)s official schedule saved: %(off)d days off, %(work)d make-up working days.") % {
        "year": row.year, "off": len(row.holidays), "work": len(row.makeup_workdays)}
    return f"{saved} {_rescheduled(outcome)}"


def _rescheduled(outcome):
    return ngettext("%(count)d plan rescheduled.", "%(count)d plans rescheduled.",
                    outcome.rescheduled) % {"count": outcome.rescheduled}


@login_required
@require_POST
def holiday_year_delete(request, year):
    _staff_only(request)
    year = _year_or_404(year)
    try:
        outcome = holiday_years.holiday_year_delete(year=year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if request.htmx:
            return HttpResponseClientRedirect(reverse("schedule:holiday_year", args=[year]))
        return redirect("schedule:holiday_year", year)
    messages.success(request, "%s %s" % (
        _("The entered %(year)s schedule was removed.") % {"year": year}, _rescheduled(outcome)))
    if request.htmx:  # the button asks first (hx-confirm), then the whole page changes
        return HttpResponseClientRedirect(reverse("schedule:holidays"))
    return redirect("schedule:holidays")
