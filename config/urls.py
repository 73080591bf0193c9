from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from onboarding.accounts import ThrottledLoginView


# Not wrapped in ATOMIC_REQUESTS' transaction: a probe must not open a database connection.
@transaction.non_atomic_requests
@never_cache
@require_safe
def healthz(request):
    """Liveness for health checks and the load test's baseline: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="onboarding:plan_list", permanent=False), name="home"),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("api.pages")),
    path("", include("webhooks.views")),
    path("", include("onboarding.urls")),
    path("", include("stakeholders.urls")),
    path("", include("schedule.urls")),
    path("", include("sharing.urls")),
    path("", include("notifications.urls")),
    path("", include("collab.urls")),
    path("", include("portfolio.urls")),
    path("", include("interfaces.urls")),
]
