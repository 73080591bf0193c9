from .access import can_manage_holidays, current_workspace, workspaces_of


def workspaces(request):
    """The header's workspace switcher (the user's workspaces and the current one) and its Holidays link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_workspaces": list(workspaces_of(user).order_by("name")),
            "current_workspace": current_workspace(request), "can_manage_holidays": can_manage_holidays(user)}
