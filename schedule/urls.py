from django.urls import path

from .rows import ROW_KINDS
from .views import checklist, gantt, holidays, overview, planning, plans

app_name = "schedule"

urlpatterns = [
    path("plans/<int:pk>/", overview.plan_overview, name="plan_overview"),
    path("plans/new/from-template/", plans.plan_from_template, name="plan_from_template"),
    path("plans/<int:pk>/checklist/", checklist.plan_checklist, name="plan_checklist"),
    path("plans/<int:pk>/checklist/bulk/", checklist.task_bulk, name="task_bulk"),
    path("plans/<int:pk>/checklist/columns/", checklist.checklist_columns_choose, name="checklist_columns"),
    path("plans/<int:plan_id>/tasks/<int:pk>/detail/", checklist.task_detail, name="task_detail"),
    path("plans/<int:plan_id>/watchouts/<int:pk>/toggle/", checklist.watchout_toggle, name="watchout_toggle"),
    path("plans/<int:pk>/gantt/", gantt.plan_gantt, name="plan_gantt"),
    path("plans/<int:pk>/gantt/tasks/<int:task_id>/", gantt.gantt_task_edit, name="gantt_task_edit"),
    path("plans/<int:pk>/schedule/", planning.plan_schedule, name="plan_schedule"),
    path("plans/<int:pk>/schedule/recompute/", planning.schedule_recompute, name="schedule_recompute"),
    path("plans/<int:pk>/schedule/settings/", planning.schedule_settings, name="schedule_settings"),
    path("plans/<int:pk>/baselines/add/", planning.baseline_create, name="baseline_create"),
    path("plans/<int:pk>/baselines/<int:baseline_id>/delete/", planning.baseline_delete, name="baseline_delete"),
    path("plans/<int:pk>/levelling/start/", planning.level_start, name="level_start"),
    path("plans/<int:pk>/levelling/<int:run_id>/", planning.level_status, name="level_status"),
    path("plans/<int:pk>/priorities/", planning.plan_priorities, name="plan_priorities"),
    path("holidays/", holidays.holidays_page, name="holidays"),
    path("holidays/<int:year>/", holidays.holiday_year, name="holiday_year"),
    path("holidays/<int:year>/delete/", holidays.holiday_year_delete, name="holiday_year_delete"),
]
for kind in ROW_KINDS:
    urlpatterns += kind.urlpatterns()
