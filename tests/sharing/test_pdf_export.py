"""The Gantt PDF: queued through a real Redis to a real Celery worker; Chinese names extractable;
as many pages as the tiling rule says."""
import datetime
import io
import subprocess
import time

import pytest

from schedule.gantt_data import gantt_tasks
from schedule.models import Task
from sharing import pdf
from sharing.exports import build_gantt_pdf
from sharing.models import ExportJob
from tests.factories import PhaseFactory, PlanStakeholderFactory, StakeholderFactory

CHINESE_NAMES = ["SDK 集成与联调", "控制台开通页", "计费对接与账单核对", "安全合规审核通过"]
LONG_NAME = "端到端联调（登录 → 对局 → 处置 → 申诉）与 Top 200 机型兼容性、弱网、包体与启动性能的全面评估"


def add_tasks(plan, count, *, phases=10, spread_days=60):
    """``count`` tasks over ``phases`` phases, starting within ``spread_days`` of today."""
    today = datetime.date.today()
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="韩梅梅"))
    phase_objs = [PhaseFactory(plan=plan, name=f"阶段 {n + 1}", position=n) for n in range(phases)]
    names = []
    tasks = []
    for i in range(count):
        title = CHINESE_NAMES[i] if i < len(CHINESE_NAMES) else f"任务 {i + 1:03d} 接口"
        names.append(title)
        tasks.append(Task(plan=plan, title=title, duration=3, position=i, owner=owner,
                          phase=phase_objs[i * phases // count],
                          start_no_earlier_than=today + datetime.timedelta(days=i % spread_days)))
    Task.objects.bulk_create(tasks)
    return names


def pdf_text(path):
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def media(tmp_path, settings, monkeypatch):
    """Files land in a temporary MEDIA_ROOT, for this process and for a worker it starts."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_job_runs_on_a_real_worker_and_the_pdf_has_every_task_name(media, real_worker, pm_client, plan):
    names = add_tasks(plan, 40, phases=4)
    Task.objects.filter(plan=plan, position=5).update(title=LONG_NAME)
    names[5] = LONG_NAME

    response = pm_client.post(f"/plans/{plan.pk}/exports/new/", {"paper": "a4", "scale": "weeks",
                              "group_by": "phase", "language": "zh-hans"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = ExportJob.objects.get(plan=plan)
    assert f"/plans/{plan.pk}/exports/{job.pk}/" in response.content.decode()  # the row polls this

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (ExportJob.State.DONE, ExportJob.State.FAILED):
            break
        time.sleep(0.3)
    assert job.state == ExportJob.State.DONE, job.error
    assert job.progress == 100 and job.pages >= 2

    row = pm_client.get(f"/plans/{plan.pk}/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="load delay:1s"' not in row and f"/exports/{job.pk}/download/" in row

    download = pm_client.get(f"/plans/{plan.pk}/exports/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in download["Content-Disposition"]  # the plan name is Chinese
    path = media / "downloaded.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    assert pdf_pages(path) == job.pages

    text = pdf_text(path)
    for name in CHINESE_NAMES:
        assert name in text
    # A long name is shortened in the row label column and listed in full on the last page.
    assert LONG_NAME in text.replace("\n", "")
    assert all(name in text for name in names)
    assert "1 / " in text and f"{job.pages} / {job.pages}" in text
    assert "MTP 接入" in text and "手游安全 MTP" in text  # the title block: plan and product


def test_page_count_of_a_big_plan_follows_the_tiling_rule(plan, tmp_path):
    names = add_tasks(plan, 300, phases=10, spread_days=100)
    data, pages = build_gantt_pdf(plan, paper="a4", scale="weeks", group_by="phase", language="zh-hans")
    tasks = gantt_tasks(plan, with_priority=False)
    rows = pdf.layout_rows(tasks, "phase", {})
    assert len(rows) == 300 + 10  # one header row per phase
    first, last = min(t.start for t in tasks), max(t.finish for t in tasks)
    tiles = pdf.time_tiles(first, last, "weeks", "a4")
    assert len(tiles) >= 2, "the plan is wider than one page"
    chart_pages = pdf.expected_chart_pages(rows, first, last, "weeks", "a4")
    assert chart_pages < 11 * len(tiles), "row bands without bars in a time span have no page"
    assert pages == chart_pages

    path = tmp_path / "big.pdf"
    path.write_bytes(data)
    assert pdf_pages(path) == pages
    text = pdf_text(path)
    assert all(name in text for name in names)


def test_tiling_rule():
    monday = datetime.date(2026, 3, 2)
    day = datetime.timedelta(days=1)
    # The axis ends on the Monday after the plan's last day, not at the end of a page's span.
    assert pdf.time_tiles(monday, monday + 17 * day, "weeks", "a4") == [(monday, monday + 21 * day)]
    # 10 weeks fit one A4 page (8 weeks, stretched by a quarter); 11 go on two pages of 6 and 5.
    assert pdf.time_tiles(monday, monday + 69 * day, "weeks", "a4") == [(monday, monday + 70 * day)]
    assert pdf.time_tiles(monday + 2 * day, monday + 76 * day, "weeks", "a4") == [
        (monday, monday + 42 * day), (monday + 42 * day, monday + 77 * day)]
    assert pdf.time_tiles(datetime.date(2026, 3, 15), datetime.date(2026, 12, 1), "months", "a4") == [
        (datetime.date(2026, 3, 1), datetime.date(2026, 8, 1)), (datetime.date(2026, 8, 1), datetime.date(2027, 1, 1))]
    assert pdf.time_tiles(datetime.date(2026, 3, 15), datetime.date(2026, 9, 30), "months", "a4") == [
        (datetime.date(2026, 3, 1), datetime.date(2026, 10, 1))]
    assert pdf.time_tiles(datetime.date(2026, 3, 15), datetime.date(2027, 2, 1), "months", "a4") == [
        (datetime.date(2026, 3, 1), datetime.date(2026, 9, 1)), (datetime.date(2026, 9, 1), datetime.date(2027, 3, 1))]
    assert pdf.row_bands(61, "a4") == [(0, 30), (30, 60), (60, 61)]


class _Task:
    def __init__(self, start, finish):
        self.start, self.finish = start, finish


def test_tile_plan_skips_pages_without_bars_and_fits():
    monday = datetime.date(2026, 3, 2)
    day = datetime.timedelta(days=1)
    # 40 rows over 11 weeks: the first 30 (one A4 band) all in the first 6 weeks, the last 10 after.
    rows = [("task", _Task(monday + (i % 20) * day, monday + (i % 20 + 3) * day)) for i in range(30)]
    rows += [("task", _Task(monday + (60 + i) * day, monday + (65 + i) * day)) for i in range(10)]
    last = monday + 74 * day
    plan = pdf.tile_plan(rows, monday, last, "weeks", "a4")
    assert plan.bands == [(0, 30), (30, 40)]
    assert plan.tiles == [(monday, monday + 42 * day), (monday + 42 * day, monday + 77 * day)]
    assert plan.pages == [(0, 0), (1, 1)]  # band 1 × tile 0 and band 0 × tile 1 hold no bar
    assert plan.width == 77 * plan.px_per_day < 2 * pdf.PAPERS["a4"].chart_px  # the last page is narrower
    assert plan.x(plan.tiles[1][0]) == pytest.approx(pdf.PAPERS["a4"].chart_px)

    width = pdf.tile_plan(rows, monday, last, "weeks", "a4", fit="width")
    assert width.tiles == [(monday, monday + 77 * day)] and width.width == pytest.approx(pdf.PAPERS["a4"].chart_px)
    assert width.pages == [(0, 0), (1, 0)] and width.row_px == pdf.ROW_PX

    page = pdf.tile_plan(rows, monday, last, "weeks", "a4", fit="page")
    assert page.pages == [(0, 0)] and page.bands == [(0, 40)] and page.row_px <= pdf.ROW_PX
    big = [("task", _Task(monday, monday + 3 * day))] * 400
    page = pdf.tile_plan(big, monday, last, "weeks", "a4", fit="page")
    assert page.row_px == pdf.MIN_ROW_PX and len(page.pages) == 4  # too many rows: thin rows, a few pages
    with pytest.raises(ValueError):
        pdf.tile_plan(rows, monday, last, "weeks", "a4", fit="poster")


def _ink_in_chart(png, paper):
    """Share of non-white pixels in the chart area of a page image (right of the row names)."""
    from PIL import Image

    image = Image.open(png).convert("L")
    p = pdf.PAPERS[paper]
    scale = image.width / p.width_px
    left = (pdf.MARGIN_PX + p.label_px + 2) * scale
    top = (pdf.MARGIN_PX + pdf.HEAD_PX + pdf.AXIS_PX) * scale
    box = image.crop((int(left), int(top), int(image.width - pdf.MARGIN_PX * scale), int(image.height - 40 * scale)))
    # Bars, milestones and dependency lines; the zebra rows (#f1f3f5), weekend shading and grid lines are lighter.
    dark = sum(box.histogram()[:200])
    return dark / (box.width * box.height)


@pytest.fixture
def demo(db):
    from io import StringIO

    from django.core.management import call_command

    from onboarding.models import Plan

    call_command("load_demo", stdout=StringIO())
    return {plan.name: plan for plan in Plan.objects.select_related("product")}


@pytest.mark.parametrize("product, paper, fit", [("MTP", "a4", "tiles"), ("DSGC", "a3", "tiles"),
                                                 ("MTP", "a4", "width"), ("DSGC", "a4", "page")])
def test_every_page_of_the_demo_plans_has_bars(demo, tmp_path, product, paper, fit):
    plan = next(p for name, p in demo.items() if product in p.product.name)
    data, pages = build_gantt_pdf(plan, paper=paper, scale="weeks", fit=fit, language="en")
    path = tmp_path / "gantt.pdf"
    path.write_bytes(data)
    tasks = gantt_tasks(plan, with_priority=False)
    rows = pdf.layout_rows(tasks, "phase", {})
    first, last = min(t.start for t in tasks), max(t.finish for t in tasks)
    tiles = pdf.tile_plan(rows, first, last, "weeks", paper, fit)
    assert tiles.tiles[-1][1] <= last + datetime.timedelta(days=7)  # the axis stops at the plan's end
    chart_pages = len(tiles.pages)
    if fit == "page":
        assert chart_pages == 1
    assert pages in (chart_pages, chart_pages + 1)  # + the appendix of full names
    subprocess.run(["pdftoppm", "-r", "30", "-l", str(chart_pages), "-png", str(path), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == chart_pages
    for image in images:
        assert _ink_in_chart(image, paper) > 0.002, f"{image.name} has no bars in its chart area"


def test_english_export_by_owner_on_a3_months(plan, tmp_path):
    add_tasks(plan, 12, phases=2)
    data, pages = build_gantt_pdf(plan, paper="a3", scale="months", group_by="owner", language="en")
    path = tmp_path / "en.pdf"
    path.write_bytes(data)
    text = pdf_text(path)
    assert pages == 1 and "韩梅梅" in text  # the owner's group header
    assert "Critical path" in text and "Milestone" in text  # the legend, in English


def _png_of_svg(svg_text, tmp_path, name):
    import base64

    html = (f'<html><body style="margin:0"><img style="width:200px;height:100px" '
            f'src="data:image/svg+xml;base64,{base64.b64encode(svg_text.encode()).decode()}"></body></html>')
    data, _pages = pdf.write_pdf(html)
    (tmp_path / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "96", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"),
                    str(tmp_path / name)], check=True)
    return (tmp_path / f"{name}.png").read_bytes()


def test_bars_and_lines_are_merged_into_one_path_per_colour_with_the_same_picture(tmp_path, monkeypatch):
    import xml.etree.ElementTree as ET

    ns = pdf.SVG_NS
    bars = "".join(f'<g class="point"><path d="M{10 + 30 * i},{10 + 12 * i}V{20 + 12 * i}H{35 + 30 * i}V{10 + 12 * i}Z" '
                   f'fill="{colour}" stroke-width="0"/></g>'
                   for i, colour in enumerate(["#a9c4eb", "#f2a7a7", "#a9c4eb", "#a9c4eb", "#f2a7a7"]))
    lines = "".join(f'<path class="js-line" d="M{35 + 30 * i},{15 + 12 * i}V{27 + 12 * i}H{40 + 30 * i}" '
                    f'fill="none" stroke="#52606d"/>' for i in range(4))
    svg = (f'<svg xmlns="{ns}" width="200" height="100"><g class="points">{bars}</g>'
           f'<g class="lines">{lines}</g></svg>')
    root = ET.fromstring(svg)
    merged = pdf.tile_svg(root, 0, 0, 200, 100)
    tree = ET.fromstring(merged)
    assert len(tree.findall(f".//{{{ns}}}g[@class='point']")) == 2  # one per colour
    assert len(tree.findall(f".//{{{ns}}}path[@class='js-line']")) == 1
    monkeypatch.setattr(pdf, "_merge_paths", lambda tile: None)
    separate = pdf.tile_svg(ET.fromstring(svg), 0, 0, 200, 100)
    assert len(ET.fromstring(separate).findall(f".//{{{ns}}}g[@class='point']")) == 5
    # The same picture: pixels differ at most by a shade of edge anti-aliasing.
    from PIL import Image, ImageChops  # WeasyPrint's own dependency

    a = Image.open(io.BytesIO(_png_of_svg(merged, tmp_path, "merged"))).convert("L")
    b = Image.open(io.BytesIO(_png_of_svg(separate, tmp_path, "separate"))).convert("L")
    assert b.getextrema()[0] < 200  # something was drawn
    assert ImageChops.difference(a, b).getextrema()[1] <= 16
