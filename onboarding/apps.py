from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self):
        # Imported once the models are loaded (they import them).
        from . import deletion, revisions
        from .models import Flow, Plan

        revisions.register_plan_of(Plan, lambda plan: plan.pk)
        revisions.register_parent("flow_id", Flow)
        revisions.connect()
        deletion.connect()
