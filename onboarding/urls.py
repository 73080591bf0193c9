from django.urls import path

from . import history_views, views
from .rows import ROW_KINDS

app_name = "onboarding"

urlpatterns = [
    path("workspaces/switch/", views.workspace_switch, name="workspace_switch"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_edit, name="product_new"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("scenarios/", views.scenario_list, name="scenario_list"),
    path("scenarios/new/", views.scenario_edit, name="scenario_new"),
    path("scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario_edit"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/flow/", views.plan_flow, name="plan_flow"),
    path("plans/<int:pk>/flows/<int:flow_id>/swimlane/", views.flow_swimlane, name="flow_swimlane"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/history/", history_views.plan_history, name="plan_history"),
    path("plans/<int:pk>/history/<str:kind>/<int:history_id>/restore/", history_views.plan_history_restore,
         name="plan_history_restore"),
]
for kind in ROW_KINDS:
    urlpatterns += kind.urlpatterns()
