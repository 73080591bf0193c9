from django.utils.functional import SimpleLazyObject

from onboarding.access import SESSION_KEY, current_workspace, roles

from .selectors import badges


def current_workspace_id(request):
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen in roles(request.user):
        return chosen
    workspace = current_workspace(request)
    return workspace.pk if workspace else None


def header_badges(request):
    """The header's My work and inbox counts: read only when a page shows them, from the cache
    when it has them (notifications/selectors.py badges)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header_badges": SimpleLazyObject(lambda: badges(user, current_workspace_id(request)))}
