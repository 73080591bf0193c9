from django.urls import path

from . import planning_views as views

urlpatterns = [
    path("plans/<int:pk>/schedule/", views.plan_schedule, name="plan_schedule"),
    path("plans/<int:pk>/schedule/recompute/", views.schedule_recompute, name="schedule_recompute"),
    path("plans/<int:pk>/schedule/settings/", views.schedule_settings, name="schedule_settings"),
    path("plans/<int:pk>/baselines/add/", views.baseline_create, name="baseline_create"),
    path("plans/<int:pk>/baselines/<int:baseline_id>/delete/", views.baseline_delete, name="baseline_delete"),
    path("plans/<int:pk>/levelling/start/", views.level_start, name="level_start"),
    path("plans/<int:pk>/levelling/<int:run_id>/", views.level_status, name="level_status"),
    path("plans/<int:pk>/priorities/", views.plan_priorities, name="plan_priorities"),
]

from . import gantt_views  # noqa: E402

urlpatterns += [
    path("plans/<int:pk>/gantt/", gantt_views.plan_gantt, name="plan_gantt"),
    path("plans/<int:pk>/gantt/tasks/<int:task_id>/", gantt_views.gantt_task_edit, name="gantt_task_edit"),
]
