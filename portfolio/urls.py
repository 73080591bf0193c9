from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/timeline/", views.timeline, name="timeline"),
    path("portfolio/workload/", views.workload_page, name="workload"),
    path("portfolio/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("portfolio/workload/cell/", views.workload_cell_view, name="workload_cell"),
]
