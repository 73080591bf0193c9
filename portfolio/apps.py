from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        # The periodic sweep (onboarding/jobs.py, below this app) fails reports whose worker is gone.
        from onboarding import jobs

        from .models import PortfolioReport

        jobs.register(PortfolioReport)
