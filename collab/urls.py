from django.urls import path

from . import views

app_name = "collab"
urlpatterns = [
    path("plans/<int:plan_id>/comments/", views.comments, name="comments"),
    path("plans/<int:plan_id>/comments/<int:pk>/", views.comment_row, name="comment_row"),
    path("plans/<int:plan_id>/comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("plans/<int:plan_id>/comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("plans/<int:plan_id>/mentions/", views.mention_search, name="mention_search"),
    path("plans/<int:plan_id>/attachments/", views.plan_attachments, name="plan_attachments"),
    path("products/<int:product_id>/attachments/", views.product_attachments, name="product_attachments"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("attachments/<int:pk>/restore/", views.attachment_restore, name="attachment_restore"),
]
