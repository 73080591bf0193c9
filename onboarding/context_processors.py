from .access import current_workspace, workspaces_of


def workspaces(request):
    """The header's workspace switcher: the user's workspaces and the current one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_workspaces": list(workspaces_of(user).order_by("name")),
            "current_workspace": current_workspace(request)}
