from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/timeline/", views.timeline, name="timeline"),
    path("portfolio/workload/", views.workload_page, name="workload"),
    path("portfolio/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("portfolio/report/", views.report_create, name="report_create"),
    path("portfolio/report/<int:pk>/", views.report_status, name="report_status"),
    path("portfolio/report/<int:pk>/download/", views.report_download, name="report_download"),
    path("portfolio/report/<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("portfolio/workload/cell/", views.workload_cell_view, name="workload_cell"),
]
