"""manage.py api_token create USERNAME [--scope read|write] [--expires YYYY-MM-DD] [--name NAME]

Prints what the token is, then the token alone on the last line (for scripts: ``| tail -n1``).
"""
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.tokens import token_create


class Command(BaseCommand):
    help = "Create a personal access token for the REST API; the token is printed once, on the last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for USERNAME")
        create.add_argument("username")
        create.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        create.add_argument("--expires", help="The last day the token works, YYYY-MM-DD (default: until revoked)")
        create.add_argument("--name", default="manage.py api_token")

    def handle(self, *args, action, username, scope, expires, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        expires_on = None
        if expires:
            try:
                expires_on = datetime.date.fromisoformat(expires)
            except ValueError:
                raise CommandError(f"--expires {expires!r} is not a date: use YYYY-MM-DD.") from None
        try:
            row, token = token_create(user=user, name=name, scope=scope, expires_on=expires_on)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        until = row.expires_on.isoformat() if row.expires_on else "until revoked"
        self.stdout.write(f"Token {row.token_hint}… for {user.username}, scope {row.scope}, valid {until}. "
                          "It is shown only now:")
        self.stdout.write(token)
