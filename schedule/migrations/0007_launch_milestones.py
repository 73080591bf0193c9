"""Name each plan's launch milestone: the built-in templates' "launch" task, and in existing plans
the one milestone called 正式上线 / 试点上线 / Go-live / Launch (plans with none or several keep
none named, and their pages say so)."""
from django.db import migrations

from schedule.builtin_templates import TEMPLATES

LAUNCH_TITLES = {"正式上线", "试点上线", "上线", "go-live", "go live", "launch"}


def name_launches(apps, schema_editor):
    Template = apps.get_model("schedule", "Template")
    TemplateTask = apps.get_model("schedule", "TemplateTask")
    Task = apps.get_model("schedule", "Task")
    db = schema_editor.connection.alias
    for data in TEMPLATES:
        template = Template.objects.using(db).filter(slug=data["slug"]).first()
        if template is None:
            continue
        keys = [task["key"] for task in data["tasks"] if task.get("is_launch")]
        TemplateTask.objects.using(db).filter(template=template).exclude(key__in=keys).update(is_launch=False)
        TemplateTask.objects.using(db).filter(template=template, key__in=keys).update(is_launch=True)
    candidates = {}
    for task in Task.objects.using(db).filter(is_milestone=True).only("pk", "plan_id", "title"):
        if task.title.strip().lower() in LAUNCH_TITLES:
            candidates.setdefault(task.plan_id, []).append(task.pk)
    for plan_id, ids in candidates.items():
        if len(ids) == 1 and not Task.objects.using(db).filter(plan_id=plan_id, is_launch=True).exists():
            Task.objects.using(db).filter(pk=ids[0]).update(is_launch=True)


class Migration(migrations.Migration):

    dependencies = [
        ("schedule", "0006_versions_launch_milestone"),
    ]

    operations = [
        migrations.RunPython(name_launches, migrations.RunPython.noop),
    ]
