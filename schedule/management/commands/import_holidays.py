"""Load a year's official holiday schedule (statutory holidays and 调休 make-up working days).

The holiday packages stop at 2026. When the State Council publishes a new year, an admin
puts it in a small file and runs:  manage.py import_holidays holidays-2027.txt

File format, one date per line (comments after #):
    2027-01-01 holiday
    2027-02-06 workday     # a weekend day that is worked (调休)
A JSON file {"year": 2027, "holidays": [...], "makeup_workdays": [...]} works too.
"""
import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schedule.models import OfficialHolidayYear, ScheduleSettings

KINDS = {"holiday": "holidays", "off": "holidays", "休": "holidays",
         "workday": "makeup_workdays", "work": "makeup_workdays", "班": "makeup_workdays"}


def parse_holiday_file(text):
    """{year: {"holidays": [...], "makeup_workdays": [...]}} from the text format or JSON."""
    stripped = text.strip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            documents = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise CommandError(f"not valid JSON: {error}") from None
        years = {}
        for document in documents if isinstance(documents, list) else [documents]:
            try:
                years[int(document["year"])] = {"holidays": list(document.get("holidays", [])),
                                                "makeup_workdays": list(document.get("makeup_workdays", []))}
            except (KeyError, TypeError, ValueError):
                raise CommandError('each JSON document needs "year", "holidays" and "makeup_workdays"') from None
        for year, days in years.items():
            if not days["holidays"] and not days["makeup_workdays"]:
                raise CommandError(f"{year}: the document lists no holidays and no make-up working days")
        return years
    years = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or parts[1].lower() not in KINDS:
            raise CommandError(f'line {number}: expected "YYYY-MM-DD holiday" or "YYYY-MM-DD workday", got {raw!r}')
        try:
            day = datetime.date.fromisoformat(parts[0])
        except ValueError:
            raise CommandError(f"line {number}: {parts[0]!r} is not a date (YYYY-MM-DD)") from None
        entry = years.setdefault(day.year, {"holidays": [], "makeup_workdays": []})
        entry[KINDS[parts[1].lower()]].append(day.isoformat())
    if not years:
        raise CommandError("the file lists no dates")
    return years


class Command(BaseCommand):
    help = "Import official holidays and make-up working days for years the holiday package does not know."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--note", default="", help="Where the schedule comes from, e.g. the notice's number.")

    def handle(self, *args, file, note, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        years = parse_holiday_file(text)
        with transaction.atomic():
            for year, days in sorted(years.items()):
                row = OfficialHolidayYear.objects.filter(year=year).first() or OfficialHolidayYear(year=year)
                row.holidays = sorted(set(days["holidays"]))
                row.makeup_workdays = sorted(set(days["makeup_workdays"]))
                row.note = note or row.note
                try:
                    row.full_clean()
                except ValidationError as error:
                    raise CommandError(f"{year}: {'; '.join(error.messages)}") from None
                row.save()
                ScheduleSettings.objects.update(computed_at=None)
                self.stdout.write(f"{year}: {len(row.holidays)} holidays, {len(row.makeup_workdays)} make-up working days")
        self.stdout.write("Plans are rescheduled with these days the next time they are opened.")
