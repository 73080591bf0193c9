"""The Gantt's Weeks, Months and Quarters zooms show a window of the plan that a drag moves along in
time (pan); the whole plan keeps the box zoom."""
import pytest

from tests.schedule.test_gantt_view import _figure, tasks  # noqa: F401 - the fixture


@pytest.mark.parametrize("zoom, dragmode", [("weeks", "pan"), ("months", "pan"), ("quarters", "pan"), ("all", "zoom")])
def test_a_zoomed_window_pans(pm_client, plan, tasks, zoom, dragmode):  # noqa: F811
    figure = _figure(pm_client.get(f"/plans/{plan.pk}/gantt/?zoom={zoom}").content.decode())
    assert figure["layout"]["dragmode"] == dragmode


def test_a_typed_window_pans(pm_client, plan, tasks):  # noqa: F811
    start = plan.start_date.isoformat()
    figure = _figure(pm_client.get(f"/plans/{plan.pk}/gantt/?start={start}&end={start}").content.decode())
    assert figure["layout"]["dragmode"] == "pan"
