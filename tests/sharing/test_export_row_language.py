"""An export's row names its language as people read it (简体中文 / English), never the code "zh-hans"."""
from tests.factories import ExportJobFactory


def test_export_rows_name_the_language(pm_client, plan, pm):
    ExportJobFactory(plan=plan, requested_by=pm, language="zh-hans", state="done")
    ExportJobFactory(plan=plan, requested_by=pm, language="en", state="done")
    body = pm_client.get(f"/plans/{plan.pk}/exports/").content.decode()
    rows = body[body.index('class="export-job"'):]
    assert "· 简体中文</td>" in rows and "· English</td>" in rows
    assert "zh-hans</td>" not in rows
