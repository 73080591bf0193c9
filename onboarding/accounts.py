"""Log-in throttling on django-axes' database handler, for the site login and /admin/login/ alike.

Every ``authenticate(request, ...)`` passes the axes backend first, so any login form is covered.
Two rules (settings AXES_* and LOGIN_SPRAY_*; README "Log-in throttling"):

* Lockout per account *and* address together: LOGIN_FAILURE_LIMIT failures from one address on one
  account lock that pair for 15 minutes. Other addresses, and other accounts from that address,
  are unaffected, so nobody can lock a colleague out by failing on their name.
* Spray back-off per account: when an account collects LOGIN_SPRAY_THRESHOLD failures within
  15 minutes from addresses that never logged in to it, those addresses together get one try per
  LOGIN_SPRAY_DELAY seconds. An address that has logged in to the account before is never slowed.

The counters live in the database, not the cache: login keeps working while Redis is down.
"""
import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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


def axes_client_ip(request):
    """The address axes stores (a GenericIPAddressField): client_address when it is an IP, else None."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def axes_username(request, credentials):
    """The account name as counted: "PM " and "pm" are one account for the throttle."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field)
    if raw is None:
        raw = request.POST.get(field) if request is not None else None
    if raw is None:
        return None
    return str(raw).strip().lower()[:255]


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' check before the model backend; a call without a request (shell, test client) is not a
    login attempt from an address and passes to the next backend unthrottled. Every login form
    (ours and the admin's) passes the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _since(seconds):
    return timezone.now() - timezone.timedelta(seconds=seconds)


def is_known_address(username, ip_address):
    """True when this address logged in to this account within LOGIN_KNOWN_ADDRESS_DAYS."""
    if not username or ip_address is None:
        return False
    return AccessLog.objects.filter(
        username__iexact=username, ip_address=ip_address,
        attempt_time__gte=_since(settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400)).exists()


def spray_wait_seconds(username, ip_address, now=None):
    """Seconds this address must wait before trying this account again because of a spray, or 0."""
    if not username or settings.LOGIN_SPRAY_THRESHOLD <= 0 or is_known_address(username, ip_address):
        return 0
    now = now or timezone.now()
    window = get_cool_off() or timezone.timedelta(minutes=15)
    known = (AccessLog.objects.filter(username__iexact=username, ip_address__isnull=False,
                                      attempt_time__gte=_since(settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400))
             .values("ip_address"))
    strangers = (AccessAttempt.objects.filter(username=username, attempt_time__gte=now - window)
                 .exclude(ip_address__in=known))
    totals = strangers.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < settings.LOGIN_SPRAY_THRESHOLD:
        return 0
    elapsed = (now - totals["last"]).total_seconds()
    return max(0, math.ceil(settings.LOGIN_SPRAY_DELAY - elapsed))


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler plus the spray back-off (see the module docstring)."""

    def is_allowed(self, request, credentials=None):
        if not super().is_allowed(request, credentials):
            request.login_wait = ("locked", None)
            return False
        wait = spray_wait_seconds(get_client_username(request, credentials), request.axes_ip_address)
        if wait:
            request.login_wait = ("spray", wait)
            return False
        return True

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # The access log only answers "has this address logged in here before?": keep it that long.
        AccessLog.objects.filter(username=user.get_username(),
                                 attempt_time__lt=_since(settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400)).delete()


def _lockout_message(request, credentials):
    kind, wait = getattr(request, "login_wait", ("locked", None))
    if kind == "spray":
        return ngettext(
            "This account has had many failed log-ins from other addresses. Try again in %(seconds)d second.",
            "This account has had many failed log-ins from other addresses. Try again in %(seconds)d seconds.",
            wait) % {"seconds": wait}
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60)
    last = (AccessAttempt.objects.filter(username=get_client_username(request, credentials),
                                         ip_address=request.axes_ip_address)
            .aggregate(last=Max("attempt_time"))["last"])
    if last is not None:
        minutes = max(1, math.ceil((last + cool_off - timezone.now()).total_seconds() / 60))
    return ngettext("Too many failed log-ins. Try again in %(minutes)d minute.",
                    "Too many failed log-ins. Try again in %(minutes)d minutes.", minutes) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login form again, with why and for how long, answered 429."""
    # Unbound: binding the posted data would run authenticate() once more.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    form.cleaned_data = {}  # add_error() on an unbound form expects it
    form.add_error(None, _lockout_message(request, credentials))
    if request.path == reverse("admin:login"):
        context = {**admin.site.each_context(request), "form": form, "title": _("Log in"),
                   "app_path": request.get_full_path(), "username": request.user.get_username(),
                   "next": request.POST.get("next", reverse("admin:index"))}
        return render(request, "admin/login.html", context, status=429)
    return render(request, "registration/login.html", {"form": form, "next": request.POST.get("next", "")},
                  status=429)


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)
