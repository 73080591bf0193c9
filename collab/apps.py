from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollabConfig(AppConfig):
    name = "collab"
    verbose_name = _("Collaboration")

    def ready(self):
        # A partner's share page lists the comments marked for them (sharing sits below this app).
        from sharing import extras
        from stakeholders.signals import plan_moved

        from .selectors import partner_comments
        from .services import collab_follow_plan

        extras.register_partner_comments(partner_comments)
        # A plan moved to another workspace (stakeholders, below this app) takes its comments and files.
        plan_moved.connect(collab_follow_plan, dispatch_uid="collab_follow_plan")
