from django.urls import path

from . import activity, views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_settings, name="settings"),
    path("my-work/", views.my_work_page, name="my_work"),
    path("my-work/tasks/<int:pk>/", views.my_work_task, name="my_work_task"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("activity/", activity.workspace_activity, name="activity"),
    path("plans/<int:pk>/activity/", activity.plan_activity, name="plan_activity"),
]
