""""Level resources" runs as a Celery job on a real worker; the page polls its progress."""
import time

from django.utils import translation

from schedule.models import LevellingRun, Task
from tests.factories import PlanStakeholderFactory, StakeholderFactory, TaskFactory


def test_levelling_job_runs_on_a_real_worker(real_worker, pm_client, plan):
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="韩梅梅"))
    for position, title in enumerate(["SDK 集成", "控制台集成", "计费对接"]):
        TaskFactory(plan=plan, title=title, duration=2, owner=owner, position=position)

    response = pm_client.post(f"/plans/{plan.pk}/levelling/start/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    run = LevellingRun.objects.get(plan=plan)
    assert f"/plans/{plan.pk}/levelling/{run.pk}/" in response.content.decode()  # the page polls this

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state in (LevellingRun.State.DONE, LevellingRun.State.FAILED):
            break
        time.sleep(0.3)
    assert run.state == LevellingRun.State.DONE, run.error
    starts = sorted(Task.objects.filter(plan=plan).values_list("levelled_start", flat=True))
    assert len(set(starts)) == 3, "one owner with capacity 1 does the three tasks one after another"

    page = pm_client.get(f"/plans/{plan.pk}/levelling/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "韩梅梅" in page and 'hx-trigger="load delay:1s"' not in page
    # how the schedule was found, in words rather than the engine's code
    labels = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.add(str(run.method_label))
    assert run.method in LevellingRun.METHOD_LABELS
    assert any(f"({label})" in page for label in labels) and f"({run.method})" not in page
