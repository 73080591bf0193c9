"""People who existed before workspaces join the default workspace (onboarding 0006)."""
from django.db import migrations


def default_workspace(apps, schema_editor):
    db = schema_editor.connection.alias
    Workspace = apps.get_model("onboarding", "Workspace")
    Stakeholder = apps.get_model("stakeholders", "Stakeholder")
    if not Stakeholder.objects.using(db).filter(workspace__isnull=True).exists():
        return
    workspace = Workspace.objects.using(db).order_by("pk").first()
    if workspace is None:
        workspace = Workspace.objects.using(db).create(name="默认工作空间")
    Stakeholder.objects.using(db).filter(workspace__isnull=True).update(workspace=workspace)
    apps.get_model("stakeholders", "HistoricalStakeholder").objects.using(db).filter(
        workspace__isnull=True).update(workspace=workspace)


class Migration(migrations.Migration):

    dependencies = [
        ("stakeholders", "0004_stakeholder_workspace"),
        ("onboarding", "0006_default_workspace"),
    ]

    operations = [
        migrations.RunPython(default_workspace, migrations.RunPython.noop),
    ]
