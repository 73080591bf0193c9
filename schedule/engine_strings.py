"""The engine's English labels, listed here so that makemessages extracts them.

The engine (schedule/engine/priorities.py) is plain Python and returns English keys;
the views translate them with gettext. A test checks this list matches the engine.
"""
from django.utils.translation import gettext_noop

ENGINE_STRINGS = [
    gettext_noop('Critical path'),
    gettext_noop('Due soon'),
    gettext_noop('Stakeholders'),
    gettext_noop('Asked of the partner'),
    gettext_noop('Status'),
    gettext_noop('Priority set by hand'),
    gettext_noop('Milestone'),
    gettext_noop('Launch milestone'),
    gettext_noop('Behind schedule'),
    gettext_noop('Blocked'),
    gettext_noop('Slipped against baseline'),
    gettext_noop('%(days)s days behind: negative float'),
    gettext_noop('No float: any delay moves the finish'),
    gettext_noop('Only %(days)s days of float'),
    gettext_noop('Overdue'),
    gettext_noop('Overdue by %(days)s days'),
    gettext_noop('Due today'),
    gettext_noop('Due in %(days)s days'),
    gettext_noop('Touches %(count)s stakeholders; strongest: relevance %(relevance)s × influence %(influence)s'),
    gettext_noop('Touches a stakeholder with relevance %(relevance)s × influence %(influence)s'),
    gettext_noop('Needs %(count)s partner-side stakeholders; strongest: relevance %(relevance)s × influence %(influence)s'),
    gettext_noop('Blocked: unblock it before anything else'),
    gettext_noop('In progress: finish what is started'),
    gettext_noop('Priority set by hand: %(points)s points'),
    gettext_noop('A milestone others wait for'),
    gettext_noop('The launch milestone'),
    gettext_noop('Misses its date by %(days)s days unless recovered'),
    gettext_noop('Blocked'),
    gettext_noop('Slipped %(days)s days against the baseline'),
]
