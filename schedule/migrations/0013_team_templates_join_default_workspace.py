"""Templates a team made before workspaces existed belong to the default workspace, like its plans.

0008 added ``Template.workspace`` and left every existing template without one, which means
"shipped with Paasport, offered to every workspace": a team's own checklist was then offered to
every other team. Only the shipped templates (by slug) stay without a workspace.
"""
from django.db import migrations

from schedule.builtin_templates import TEMPLATES

DEFAULT_NAME = "默认工作空间"  # onboarding/migrations/0006_default_workspace.py


def team_templates_to_default_workspace(apps, schema_editor):
    db = schema_editor.connection.alias
    Template = apps.get_model("schedule", "Template")
    Workspace = apps.get_model("onboarding", "Workspace")
    shipped = [data["slug"] for data in TEMPLATES]
    teams = Template.objects.using(db).filter(workspace__isnull=True).exclude(slug__in=shipped)
    if not teams.exists():
        return
    workspace, _created = Workspace.objects.using(db).get_or_create(name=DEFAULT_NAME)
    teams.update(workspace=workspace)


class Migration(migrations.Migration):

    dependencies = [
        ("onboarding", "0006_default_workspace"),
        ("schedule", "0012_merge_checklist_preference_must_start_on"),
    ]

    operations = [
        migrations.RunPython(team_templates_to_default_workspace, migrations.RunPython.noop),
    ]
