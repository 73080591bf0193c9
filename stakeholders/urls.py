from django.urls import path

from . import views
from .rows import ROW_KINDS

app_name = "stakeholders"

urlpatterns = [
    path("plans/<int:pk>/stakeholders/", views.plan_stakeholders, name="plan_stakeholders"),
    path("plans/<int:pk>/move/", views.plan_move, name="plan_move"),
]
for kind in ROW_KINDS:
    urlpatterns += kind.urlpatterns()
