"""Re-importing an MS Project file applies its preview only if the tasks it updates are as the preview
showed them: an edit saved in Paasport after the preview refuses the import (naming the task), nothing is
written, and the preview is shown again against the plan as it is now."""
import re

import pytest

from schedule.models import Task, TaskLink
from schedule.services import link_add, task_delete, task_update
from sharing import services
from sharing.exchange import mspdi
from tests.factories import PlanFactory
from tests.sharing.test_exchange_view import HTMX, upload, url
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)

V2 = "<Name>计费配置 V2</Name>".encode()


@pytest.fixture
def target(pm_client, plan, checklist, product, pm):  # noqa: F811
    """A plan made by importing ``plan``'s export, and that export with one task renamed (a re-import
    of it updates the plan's tasks, so it is previewed first)."""
    target = PlanFactory(name="目标", product=product, owner=pm, start_date=plan.start_date)
    data = pm_client.get(url(plan, "mspdi")).content
    assert pm_client.post(url(target, "import_mspdi"), {"file": upload("p.xml", data)}, **HTMX).status_code == 200
    assert target.tasks.count() == 4
    target.changed_file = data.replace("<Name>计费配置</Name>".encode(), V2)
    return target


def preview(client, target):
    response = client.post(url(target, "import_mspdi"), {"file": upload("p.xml", target.changed_file)}, **HTMX)
    assert response.status_code == 200 and "计费配置: title 计费配置 → 计费配置 V2" in response.content.decode()
    return re.search(r'name="preview" value="([^"]+)"', response.content.decode()).group(1)


def apply(client, target, token):
    return client.post(url(target, "import_mspdi"), {"preview": token}, **HTMX)


def state(target):
    return sorted(Task.objects.filter(plan=target).values_list("pk", "title", "duration", "description", "version"))


def test_preview_then_apply_without_an_edit_still_applies(pm_client, target):
    response = apply(pm_client, target, preview(pm_client, target))
    assert response.status_code == 200 and "0 tasks created; 1 updated; 3 unchanged." in response.content.decode()
    assert target.tasks.filter(title="计费配置 V2").exists()


def test_a_task_edited_after_the_preview_refuses_the_apply_naming_it(pm_client, target):
    token = preview(pm_client, target)
    docs = Task.objects.get(plan=target, title="阅读官方文档")
    docs.description = "先读接入指南"
    task_update(plan=target, task=docs, version=docs.version)  # someone else's edit, after the preview
    before = state(target)
    response = apply(pm_client, target, token)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported: 1 task this file updates was changed in Paasport since the preview (阅读官方文档)." in page
    assert state(target) == before  # nothing written: the edit kept, the file's rename not applied
    assert Task.objects.get(pk=docs.pk).description == "先读接入指南"
    assert not target.tasks.filter(title="计费配置 V2").exists()
    # The preview is shown again, against the plan as it is now; confirming it applies the file.
    assert "Here is the preview again, against the plan as it is now" in page
    assert "阅读官方文档: description 先读接入指南 → —" in page
    again = re.search(r'name="preview" value="([^"]+)"', page).group(1)
    assert again != token
    applied = apply(pm_client, target, again)
    assert applied.status_code == 200 and "2 updated" in applied.content.decode()
    assert target.tasks.filter(title="计费配置 V2").exists()


def test_a_link_added_after_the_preview_refuses_the_apply(pm_client, target):
    token = preview(pm_client, target)
    docs, billing = (Task.objects.get(plan=target, title=title) for title in ("阅读官方文档", "计费配置"))
    TaskLink.objects.filter(successor=billing).delete()  # the plan's own: links go without a version bump
    link_add(plan=target, link=TaskLink(predecessor=docs, successor=billing))
    response = apply(pm_client, target, token)
    assert response.status_code == 422 and "since the preview (计费配置)" in response.content.decode()
    assert not target.tasks.filter(title="计费配置 V2").exists()


def test_a_task_deleted_after_the_preview_refuses_the_apply_rather_than_creating_it_again(pm_client, target):
    token = preview(pm_client, target)
    docs = Task.objects.get(plan=target, title="阅读官方文档")
    task_delete(plan=target, task=docs, version=docs.version)
    response = apply(pm_client, target, token)
    # 计费配置 lost its link from the deleted task: it changed too.
    assert response.status_code == 422 and "since the preview (阅读官方文档、计费配置)" in response.content.decode()
    assert target.tasks.count() == 3 and not target.tasks.filter(title="阅读官方文档").exists()


def test_the_service_refuses_a_stale_preview_and_writes_nothing(target):
    changes, _notes = mspdi.preview_xml(target, target.changed_file)
    seen = mspdi.seen_in_preview(changes)
    billing = Task.objects.get(plan=target, title="计费配置")
    billing.duration += 1
    task_update(plan=target, task=billing, version=billing.version)
    before = (state(target), list(target.phases.values_list("pk", "name")), target.baselines.count())
    with pytest.raises(mspdi.PreviewStale) as refused:
        services.import_msproject(plan=target, data=target.changed_file, seen=seen)
    assert refused.value.tasks == ["计费配置"]
    assert (state(target), list(target.phases.values_list("pk", "name")), target.baselines.count()) == before
