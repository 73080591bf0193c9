"""What apps above sharing add to a share page, registered in their AppConfig.ready, so that
sharing imports none of them: today collab's "Comments for you" on a partner's page."""
_partner_comments = []


def register_partner_comments(build):
    """``build(plan, task_titles, *, platform_names)`` → the rows of a partner page's comments."""
    _partner_comments[:] = [build]


def partner_comments(plan, task_titles, *, platform_names):
    """The comments a partner's page shows (none when no app provides them)."""
    return [row for build in _partner_comments for row in build(plan, task_titles, platform_names=platform_names)]
