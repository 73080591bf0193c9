"""Log-in with throttling: repeated failures lock the account name and the client address for a while."""
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import ngettext

FAILURE_WINDOW_S = 15 * 60


def client_address(request):
    """REMOTE_ADDR; behind our own reverse proxy (BEHIND_PROXY), the address it saw.

    The proxy appends the peer it saw to X-Forwarded-For, so the last entry is the one
    the client cannot forge; earlier entries are whatever the client sent. Login throttling
    and the share-link rate limit both count by this address.
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or "unknown"


def _keys(request, username):
    return [f"login-fail:user:{username.strip().lower()}", f"login-fail:addr:{client_address(request)}"]


def is_locked(request, username):
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(request, username))


def record_failure(request, username):
    for key in _keys(request, username):
        cache.add(key, 0, FAILURE_WINDOW_S)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, FAILURE_WINDOW_S)


def clear_failures(request, username):
    cache.delete(_keys(request, username)[0])


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if is_locked(request, username):
            form = self.get_form()
            minutes = FAILURE_WINDOW_S // 60
            form.add_error(None, ngettext(
                "Too many failed log-ins. Try again in %(minutes)d minute.",
                "Too many failed log-ins. Try again in %(minutes)d minutes.", minutes) % {"minutes": minutes})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        record_failure(self.request, self.request.POST.get("username", ""))
        return self.render_to_response(self.get_context_data(form=form), status=422)

    def form_valid(self, form):
        clear_failures(self.request, form.get_user().get_username())
        return super().form_valid(form)


