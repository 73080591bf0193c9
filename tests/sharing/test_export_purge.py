"""Old export jobs and their files are purged by the beat task after EXPORT_RETENTION_DAYS."""
import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from config.celery import app
from sharing.models import ExportJob
from sharing.tasks import purge_old_exports
from tests.factories import ExportJobFactory


def test_purge_deletes_old_jobs_and_their_files(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_RETENTION_DAYS = 7
    old = ExportJobFactory(plan=plan, state=ExportJob.State.DONE)
    old.file.save("old.pdf", ContentFile(b"%PDF old"))
    failed = ExportJobFactory(plan=plan, state=ExportJob.State.FAILED)
    recent = ExportJobFactory(plan=plan, state=ExportJob.State.DONE)
    recent.file.save("recent.pdf", ContentFile(b"%PDF new"))
    ExportJob.objects.filter(pk__in=[old.pk, failed.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=8))

    assert purge_old_exports() == 2
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not default_storage.exists(old.file.name) and default_storage.exists(recent.file.name)


def test_purge_is_on_the_beat_schedule():
    entries = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "sharing.tasks.purge_old_exports" in entries
