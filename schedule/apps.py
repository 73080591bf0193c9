from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Schedule")

    def ready(self):
        # How the cache revisions and the job sweep (onboarding, below this app) reach this app's rows.
        from onboarding import jobs, revisions

        from .models import Baseline, LevellingRun, Task, TaskLink

        revisions.register_parent("task_id", Task)
        revisions.register_parent("baseline_id", Baseline)
        revisions.register_plan_of(TaskLink, lambda link: Task.objects.filter(
            pk=link.successor_id).values_list("plan_id", flat=True).first())
        jobs.register(LevellingRun)
