"""Create or update the two shipped templates from schedule/builtin_templates.py.

Idempotent: each template is matched by slug, its tasks by key and its links by their
(predecessor, successor) keys, so running it again (or from a later migration after the data
changed) updates rows in place and removes only what the data no longer lists. Rows that
already match are not written at all.
"""
from django.db import migrations

from schedule.builtin_templates import TEMPLATES, check_template_data

# Only the fields this migration's historical models know; later model fields keep their defaults.
TASK_FIELDS = ("phase", "title", "description", "duration", "offset", "is_milestone", "visibility", "watchouts")


def _update(obj, values, using):
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(using=using, update_fields=changed)


def sync_templates(apps, schema_editor):
    Template = apps.get_model("schedule", "Template")
    TemplateTask = apps.get_model("schedule", "TemplateTask")
    TemplateLink = apps.get_model("schedule", "TemplateLink")
    db = schema_editor.connection.alias

    for data in TEMPLATES:
        problems = check_template_data(data)
        if problems:
            raise ValueError(f"built-in template {data['slug']}: {'; '.join(problems)}")

        template = Template.objects.using(db).filter(slug=data["slug"]).first()
        if template is None:
            template = Template.objects.using(db).create(
                slug=data["slug"], name=data["name"], description=data["description"]
            )
        else:
            _update(template, {"name": data["name"], "description": data["description"]}, db)

        existing = {task.key: task for task in TemplateTask.objects.using(db).filter(template=template)}
        by_key = {}
        for position, task_data in enumerate(data["tasks"]):
            values = {field: task_data[field] for field in TASK_FIELDS}
            values["position"] = position
            task = existing.pop(task_data["key"], None)
            if task is None:
                task = TemplateTask.objects.using(db).create(template=template, key=task_data["key"], **values)
            else:
                _update(task, values, db)
            by_key[task.key] = task

        wanted = {(pred, succ): (kind, lag) for pred, succ, kind, lag in data["links"]}
        key_of = {task.pk: key for key, task in by_key.items()}
        for link in TemplateLink.objects.using(db).filter(template=template):
            pair = (key_of.get(link.predecessor_id), key_of.get(link.successor_id))
            if pair not in wanted:
                link.delete()
                continue
            kind, lag = wanted.pop(pair)
            _update(link, {"type": kind, "lag": lag}, db)
        for (pred, succ), (kind, lag) in wanted.items():
            TemplateLink.objects.using(db).create(
                template=template, predecessor=by_key[pred], successor=by_key[succ], type=kind, lag=lag
            )

        # Tasks the data no longer lists (their links cascade).
        for task in existing.values():
            task.delete()


def remove_templates(apps, schema_editor):
    Template = apps.get_model("schedule", "Template")
    db = schema_editor.connection.alias
    Template.objects.using(db).filter(slug__in=[data["slug"] for data in TEMPLATES]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("schedule", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sync_templates, remove_templates),
    ]
