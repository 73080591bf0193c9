from django import template

from stakeholders.engagement import quadrant as quadrant_of

register = template.Library()


@register.filter
def quadrant(plan_stakeholder):
    """The power/interest quadrant of a PlanStakeholder (see engagement.py)."""
    return quadrant_of(plan_stakeholder.relevance, plan_stakeholder.influence)
