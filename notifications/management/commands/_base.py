"""What send_reminders and send_digests share: --date, --dry-run, and the report."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r} is not a date in the form YYYY-MM-DD") from None


class SendCommand(BaseCommand):
    kind = ""  # what the report calls one email

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Send for this day (YYYY-MM-DD) instead of today.")
        parser.add_argument("--dry-run", action="store_true",
                            help="List who would get which email; send nothing and record nothing.")

    def send(self, today, dry_run):
        raise NotImplementedError

    def handle(self, *args, date=None, dry_run=False, **options):
        today = parse_date(date) if date else timezone.localdate()
        outcome = self.send(today, dry_run)
        for address, subject in outcome.sent:
            self.stdout.write(f"{'would send' if dry_run else 'sent'}: {address} · {subject}")
        summary = (f"{today}: {len(outcome.sent)} {self.kind} {'to send' if dry_run else 'sent'}, "
                   f"{outcome.already_sent} already sent, {outcome.opted_out} opted out, "
                   f"{outcome.no_address} without an email address, {outcome.failed} failed")
        self.stdout.write(self.style.WARNING(summary) if outcome.failed else self.style.SUCCESS(summary))
        if outcome.failed:
            # Scripts see the failure; the others were sent all the same.
            raise CommandError(f"{outcome.failed} {self.kind} not sent: see the log")
