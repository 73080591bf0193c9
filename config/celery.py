import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("paasport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat reads crontab times in this zone: the team works on Beijing time whatever TIME_ZONE says.
app.conf.timezone = "Asia/Shanghai"
# One entry per periodic job; `celery -A config beat` runs them.
app.conf.beat_schedule = {
    "notifications-daily-reminders": {
        "task": "notifications.tasks.send_daily_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "notifications-weekly-digests": {
        "task": "notifications.tasks.send_weekly_digests",
        "schedule": crontab(hour=9, minute=0, day_of_week="mon"),
    },
    "onboarding-fail-overdue-jobs": {
        "task": "onboarding.tasks.fail_overdue_jobs",
        "schedule": 60.0,
    },
    "onboarding-purge-deleted-plans": {
        "task": "onboarding.tasks.purge_deleted_plans",
        "schedule": crontab(hour=3, minute=15),
    },
    "webhooks-sweep-deliveries": {
        "task": "webhooks.tasks.sweep_webhook_deliveries",
        "schedule": 60.0,
    },
    "sharing-purge-old-exports": {
        "task": "sharing.tasks.purge_old_exports",
        "schedule": crontab(hour=3, minute=45),
    },
}


# One Chromium per worker process for figure exports (kaleido's sync server), started once the
# process exists: a browser started before a fork would be shared by the children.
@worker_process_init.connect
def _start_figure_renderer(**kwargs):
    from sharing.exports import start_renderer  # this module is loaded before Django's apps are

    start_renderer()


@worker_ready.connect
def _start_figure_renderer_in_solo_pool(sender=None, **kwargs):
    # The solo and threads pools run tasks in the main process, where worker_process_init never fires.
    pool = getattr(sender, "pool", None)
    if pool is not None and type(pool).__module__.endswith((".solo", ".threads")):
        from sharing.exports import start_renderer  # this module is loaded before Django's apps are

        start_renderer()
