from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollabConfig(AppConfig):
    name = "collab"
    verbose_name = _("Collaboration")

    def ready(self):
        # A partner's share page lists the comments marked for them (sharing sits below this app).
        from sharing import extras

        from .selectors import partner_comments

        extras.register_partner_comments(partner_comments)
