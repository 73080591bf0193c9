"""The plan's stakeholders as the power/interest grid (shared by the tab and the image export)."""
from django.utils.translation import gettext as _

from .figures import GridStakeholder, build_stakeholder_grid


def grid_labels():
    return {"relevance": _("Relevance"), "influence": _("Influence"), "manage_closely": _("Manage closely"),
            "keep_satisfied": _("Keep satisfied"), "keep_informed": _("Keep informed"), "monitor": _("Monitor"),
            "side_platform": _("Platform"), "side_partner": _("Partner"), "side_other": _("Other"),
            "organisation": _("Organisation"), "role": _("Role"), "strategy": _("Strategy")}


def grid_figure(members):
    return build_stakeholder_grid(
        [GridStakeholder(m.pk, m.stakeholder.name, m.relevance, m.influence, m.stakeholder.side,
                         m.stakeholder.organisation, m.stakeholder.role) for m in members],
        labels=grid_labels(), height=440)
