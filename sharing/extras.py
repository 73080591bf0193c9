"""What apps above sharing add to a share page, registered in their AppConfig.ready, so that
sharing imports none of them: collab's "Comments for you" on a partner's page and the interfaces
app's partner-provided interfaces with their joint tests."""
_partner_comments = []
_partner_interfaces = []


def register_partner_comments(build):
    """``build(plan, task_titles, *, platform_names)`` → the rows of a partner page's comments."""
    _partner_comments[:] = [build]


def register_partner_interfaces(build):
    """``build(product)`` → the partner-provided interfaces a share page lists (statuses and dates only)."""
    _partner_interfaces[:] = [build]


def partner_comments(plan, task_titles, *, platform_names):
    """The comments a partner's page shows (none when no app provides them)."""
    return [row for build in _partner_comments for row in build(plan, task_titles, platform_names=platform_names)]


def partner_interfaces(product):
    """The interfaces a share page lists (none when no app provides them)."""
    return [row for build in _partner_interfaces for row in build(product)]
