from notifications.services import send_daily_reminders

from ._base import SendCommand


class Command(SendCommand):
    help = "Email each task owner with an account their overdue and soon-due tasks (once a day)."
    kind = "daily reminder(s)"

    def send(self, today, dry_run):
        return send_daily_reminders(today, dry_run=dry_run)
