from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
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

@csrf_exempt  # nothing is written here: a POST without a CSRF token gets the same JSON 404
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": _("Not found.")}, status=404)


app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Any other address under /api/v1/ (an id that is not a number, a typo) answers in JSON
    # like the rest of the API, not with the site's HTML 404 page.
    re_path(r"^.*$", not_found),
]
