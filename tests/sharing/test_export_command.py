"""manage.py export_gantt_pdf: the same export, synchronously, to a file."""
import pytest
from django.core.management import CommandError, call_command

from tests.sharing.test_pdf_export import CHINESE_NAMES, add_tasks, pdf_pages, pdf_text


def test_writes_the_pdf(plan, tmp_path, capsys):
    add_tasks(plan, 8, phases=2)
    out = tmp_path / "gantt.pdf"
    call_command("export_gantt_pdf", plan.pk, "--out", str(out), "--paper", "a3", "--scale", "months",
                 "--group-by", "owner", "--language", "en")
    assert pdf_pages(out) == 1 and "1 pages" in capsys.readouterr().out
    text = pdf_text(out)
    assert all(name in text for name in CHINESE_NAMES) and "Critical path" in text


def test_unknown_plan_or_folder(plan, tmp_path):
    with pytest.raises(CommandError, match="No plan"):
        call_command("export_gantt_pdf", 999999, "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_gantt_pdf", plan.pk, "--out", str(tmp_path / "missing" / "x.pdf"))
