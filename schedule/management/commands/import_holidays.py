"""Load a year's official holiday schedule (statutory holidays and 调休 make-up working days).

Staff usually paste the State Council's notice on the Holidays page (/holidays/); this command
reads the same formats from a file (see schedule/holiday_years.py), for scripts:

    manage.py import_holidays holidays-2027.txt [--year 2027] [--note "国办发明电〔2026〕X号"]

e.g. one date a line ("2027-01-01 holiday", "2027-02-20 workday"), the notice's own sentences
("2月6日至12日放假调休，共7天。2月20日（周六）上班。"), or JSON
{"year": 2027, "holidays": [...], "makeup_workdays": [...]}. Saving reschedules every plan
whose dates run through the year.
"""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schedule.holiday_years import holiday_year_save, parse_holidays


class Command(BaseCommand):
    help = "Import official holidays and make-up working days for years the holiday package does not know."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, help="The year entered (dates without a year take it).")
        parser.add_argument("--note", default="", help="Where the schedule comes from, e.g. the notice's number.")

    def handle(self, *args, file, year, note, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        parsed = parse_holidays(text, year=year)
        if parsed.errors:
            raise CommandError("\n".join(parsed.errors))
        with transaction.atomic():
            for entry_year, days in parsed.years().items():
                try:
                    row, outcome = holiday_year_save(year=entry_year, holidays=days["holidays"],
                                                     makeup_workdays=days["makeup_workdays"], note=note)
                except ValidationError as error:
                    raise CommandError(f"{entry_year}: {'; '.join(error.messages)}") from None
                self.stdout.write(f"{entry_year}: {len(row.holidays)} holidays, "
                                  f"{len(row.makeup_workdays)} make-up working days; "
                                  f"{outcome.rescheduled} plan(s) rescheduled")
                for plan, message in outcome.refused:
                    self.stderr.write(f"  plan {plan.pk} “{plan.name}” kept its dates: {message}")
