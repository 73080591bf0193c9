"""Put everything that existed before workspaces into one default workspace, and every user in it:
staff as workspace admins, the old "managers" group as managers, everyone else as PMs."""
from django.db import migrations

DEFAULT_NAME = "默认工作空间"


def default_workspace(apps, schema_editor):
    db = schema_editor.connection.alias
    Workspace = apps.get_model("onboarding", "Workspace")
    Member = apps.get_model("onboarding", "WorkspaceMember")
    User = apps.get_model("auth", "User")
    models = [apps.get_model("onboarding", name) for name in ("Product", "Scenario", "Plan")]
    if not (User.objects.using(db).exists() or any(m.objects.using(db).exists() for m in models)):
        return  # a new database: workspaces are made as people start
    workspace, _created = Workspace.objects.using(db).get_or_create(name=DEFAULT_NAME)
    for model in models:
        model.objects.using(db).filter(workspace__isnull=True).update(workspace=workspace)
    apps.get_model("onboarding", "HistoricalPlan").objects.using(db).filter(workspace__isnull=True).update(
        workspace=workspace)
    for user in User.objects.using(db).all():
        if user.is_staff or user.is_superuser:
            role = "admin"
        elif user.groups.filter(name="managers").exists():
            role = "manager"
        else:
            role = "pm"
        Member.objects.using(db).get_or_create(workspace=workspace, user=user, defaults={"role": role})


class Migration(migrations.Migration):

    dependencies = [
        ("onboarding", "0005_workspaces"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(default_workspace, migrations.RunPython.noop),
    ]
