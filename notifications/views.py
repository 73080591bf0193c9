from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import NotificationPreferenceForm
from .services import address_for, preference_for


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The user's own email choices; every email links here."""
    preference = preference_for(request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
        status = 422
    context = {
        "form": form,
        "site_language": dict(settings.LANGUAGES).get(settings.LANGUAGE_CODE, settings.LANGUAGE_CODE),
        "address": address_for(request.user),
        "days_ahead": settings.REMINDER_DAYS_AHEAD,
    }
    return render(request, "notifications/settings.html", context, status=status)
