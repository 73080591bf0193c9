from django.urls import path

from .views import matrix

app_name = "interfaces"

urlpatterns = [
    path("products/<int:pk>/interfaces/matrix/", matrix.product_matrix, name="matrix"),
    path("products/<int:pk>/interfaces/matrix/bulk/", matrix.joint_test_bulk, name="joint_test_bulk"),
    path("products/<int:pk>/interfaces/matrix/export.xlsx", matrix.matrix_export, name="matrix_export"),
    path("interfaces/<int:pk>/joint-tests/<str:environment>/", matrix.joint_test_cell, name="joint_test_cell"),
    path("plans/<int:pk>/interfaces/", matrix.plan_interfaces, name="plan_interfaces"),
    path("plans/<int:pk>/interfaces/link/", matrix.plan_interface_link, name="plan_interface_link"),
]
