from django.urls import path

from .views import inventory, matrix, requirements

app_name = "interfaces"

urlpatterns = [
    # The interface inventory of a product (importer, diff, gaps: views/inventory.py)
    path("products/<int:pk>/interfaces/", inventory.inventory, name="inventory"),
    path("products/<int:pk>/interfaces/add/", inventory.interface_add, name="interface_add"),
    path("products/<int:pk>/interfaces/<int:interface_id>/", inventory.interface_row, name="interface_row"),
    path("products/<int:pk>/interfaces/<int:interface_id>/edit/", inventory.interface_edit, name="interface_edit"),
    path("products/<int:pk>/interfaces/<int:interface_id>/delete/", inventory.interface_delete,
         name="interface_delete"),
    path("products/<int:pk>/interfaces/import/", inventory.interface_import, name="interface_import"),
    path("products/<int:pk>/interfaces/imports/<int:spec_id>/", inventory.spec_diff, name="spec_diff"),
    path("products/<int:pk>/interfaces/imports/<int:spec_id>/accept/", inventory.spec_accept, name="spec_accept"),
    path("products/<int:pk>/interfaces/imports/<int:spec_id>/discard/", inventory.spec_discard, name="spec_discard"),
    path("products/<int:pk>/interfaces/gaps/", inventory.gaps, name="gaps"),
    path("products/<int:pk>/interfaces/gaps.pdf", inventory.gaps_pdf, name="gaps_pdf"),
    # The platform's requirements of the current workspace (views/requirements.py)
    path("interface-requirements/", requirements.requirement_list, name="requirement_list"),
    path("interface-requirements/add/", requirements.requirement_add, name="requirement_add"),
    path("interface-requirements/<int:pk>/", requirements.requirement_row, name="requirement_row"),
    path("interface-requirements/<int:pk>/edit/", requirements.requirement_edit, name="requirement_edit"),
    path("interface-requirements/<int:pk>/delete/", requirements.requirement_delete, name="requirement_delete"),
    # The joint-test matrix of a product or a plan, and the roll-up into 联调 tasks (views/matrix.py)
    path("products/<int:pk>/interfaces/matrix/", matrix.product_matrix, name="matrix"),
    path("products/<int:pk>/interfaces/matrix/bulk/", matrix.joint_test_bulk, name="joint_test_bulk"),
    path("products/<int:pk>/interfaces/matrix/export.xlsx", matrix.matrix_export, name="matrix_export"),
    path("interfaces/<int:pk>/joint-tests/<str:environment>/", matrix.joint_test_cell, name="joint_test_cell"),
    path("plans/<int:pk>/interfaces/", matrix.plan_interfaces, name="plan_interfaces"),
    path("plans/<int:pk>/interfaces/link/", matrix.plan_interface_link, name="plan_interface_link"),
]
