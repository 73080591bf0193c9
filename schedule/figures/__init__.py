"""Plotly figure builders for the schedule app: plain Python (no Django), data in, Figure out."""
from .dashboard import BurnupPoint, build_burnup, burnup_points_from_tasks
from .gantt import GanttTask, build_gantt, non_working_shapes, zoom_presets, zoom_range

__all__ = [
    "BurnupPoint", "GanttTask", "build_burnup", "build_gantt", "burnup_points_from_tasks",
    "non_working_shapes", "zoom_presets", "zoom_range",
]
