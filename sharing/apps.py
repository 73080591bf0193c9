from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Sharing and exports")

    def ready(self):
        # The periodic sweep (onboarding/jobs.py, below this app) fails exports whose worker is gone.
        from onboarding import jobs

        from .models import ExportJob

        jobs.register(ExportJob)
