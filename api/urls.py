from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from webhooks.api import WebhookViewSet

from . import views

router = SimpleRouter()
router.register("workspaces", views.WorkspaceViewSet, basename="workspace")
router.register("products", views.ProductViewSet, basename="product")
router.register("scenarios", views.ScenarioViewSet, basename="scenario")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("phases", views.PhaseViewSet, basename="phase")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("plan-stakeholders", views.PlanStakeholderViewSet, basename="planstakeholder")
router.register("baselines", views.BaselineViewSet, basename="baseline")
router.register("share-links", views.ShareLinkViewSet, basename="sharelink")
router.register("webhooks", WebhookViewSet, basename="webhook")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
