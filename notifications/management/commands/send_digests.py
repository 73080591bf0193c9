from notifications.services import send_weekly_digests

from ._base import SendCommand


class Command(SendCommand):
    help = "Email each active plan's management-audience stakeholders the weekly digest."
    kind = "weekly digest(s)"

    def send(self, today, dry_run):
        return send_weekly_digests(today, dry_run=dry_run)
