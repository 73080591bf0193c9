from django.urls import path

from . import views

app_name = "schedule"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_overview, name="plan_overview"),
    path("plans/new/from-template/", views.plan_from_template, name="plan_from_template"),
    path("plans/<int:pk>/checklist/", views.plan_checklist, name="plan_checklist"),
]
