from django.urls import path

from . import views
from .rows import ROW_KINDS

app_name = "schedule"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_overview, name="plan_overview"),
    path("plans/new/from-template/", views.plan_from_template, name="plan_from_template"),
    path("plans/<int:pk>/checklist/", views.plan_checklist, name="plan_checklist"),
    path("plans/<int:plan_id>/tasks/<int:pk>/detail/", views.task_detail, name="task_detail"),
    path("plans/<int:plan_id>/watchouts/<int:pk>/toggle/", views.watchout_toggle, name="watchout_toggle"),
]
for kind in ROW_KINDS:
    urlpatterns += kind.urlpatterns()

# Step 5 pages: schedule, baselines, levelling, priorities (schedule/planning_views.py).
from .planning_urls import urlpatterns as planning_urlpatterns  # noqa: E402

urlpatterns += planning_urlpatterns
