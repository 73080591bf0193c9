"""Create or revoke a read-only share link from the command line.

    manage.py share_link create PLAN_ID --audience partner [--expires YYYY-MM-DD] [--label TEXT] [--platform-names]
                                [--base-url URL]
    manage.py share_link revoke URL_OR_TOKEN
"""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from onboarding.models import Plan
from sharing import links, selectors
from sharing.models import ShareLink

DEFAULT_BASE_URL = "http://localhost:8000"


class Command(BaseCommand):
    help = "Create a read-only share link for a plan (prints its URL, the only time it is shown), or revoke one."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke}")
        create = actions.add_parser("create", help="Create a link and print its full URL.")
        create.add_argument("plan_id", help="The plan's id.")
        create.add_argument("--audience", choices=ShareLink.Audience.values, default=ShareLink.Audience.PARTNER)
        create.add_argument("--expires", default="", help="Last day the link works, YYYY-MM-DD.")
        create.add_argument("--label", default="", help="A note to recognise the link, e.g. who received it.")
        create.add_argument("--platform-names", action="store_true",
                            help="Show platform-side people by name (default: by role).")
        create.add_argument("--base-url", default="",
                            help=f"Site address the URL starts with (default: SITE_URL setting or {DEFAULT_BASE_URL}).")
        revoke = actions.add_parser("revoke", help="Revoke a link at once.")
        revoke.add_argument("link", help="The full share URL or the bare token.")

    def handle(self, *args, **options):
        if options["action"] == "create":
            return self.create(options)
        return self.revoke(options)

    def create(self, options):
        try:
            plan = Plan.objects.get(pk=int(options["plan_id"]))
        except (ValueError, Plan.DoesNotExist):
            raise CommandError(f"No plan with id {options['plan_id']!r}.") from None
        expires_on = None
        if options["expires"]:
            try:
                expires_on = datetime.date.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError(f"--expires {options['expires']!r} is not a date in the form YYYY-MM-DD.") from None
            if expires_on < timezone.localdate():
                raise CommandError(f"--expires {expires_on} is in the past.")
        label = " ".join(options["label"].split())
        if len(label) > ShareLink._meta.get_field("label").max_length:
            raise CommandError("--label is too long (at most 120 characters).")
        base_url = options["base_url"] or getattr(settings, "SITE_URL", "") or DEFAULT_BASE_URL
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url {base_url!r} must start with http:// or https://.")
        link, token = links.create_link(plan, audience=options["audience"], expires_on=expires_on, label=label,
                                         platform_names=options["platform_names"])
        self.stdout.write(links.share_url(token, base_url))
        self.stderr.write(f"Created {link.get_audience_display()} link #{link.pk} for “{plan}”"
                          + (f", valid until {expires_on}" if expires_on else "")
                          + ". The URL above is shown only this once.")

    def revoke(self, options):
        token = links.token_from(options["link"])
        link = selectors.find_link(token)
        if link is None:
            raise CommandError("No share link matches this URL or token.")
        if not links.revoke_link(link):
            raise CommandError(f"This link was already revoked on {timezone.localtime(link.revoked_at):%Y-%m-%d %H:%M}.")
        self.stdout.write(f"Revoked link #{link.pk} ({link.token_hint}…) of plan “{link.plan}”.")
