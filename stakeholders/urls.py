from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("plans/<int:pk>/stakeholders/", views.plan_stakeholders, name="plan_stakeholders"),
]
