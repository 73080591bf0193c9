"""Optimistic locking for every versioned row: one exception, one form mixin, one claim.

A form carries the version it was loaded at (a hidden field). A save is refused — never
silently applied over someone else's — when that version is missing or no longer current; the
form comes back with the other person's change shown beside the user's input, and carries the
current version so that saving again applies the user's input deliberately.

Two places check: the form (early, so the user sees the conflict with their input) and the
write service (authoritative, under the plan lock: ``claim``), because another save can land
between the two.
"""
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from config.query_strings import whole_number

from .history import display_changes, m2m_values_of, raw_changes, user_name

STALE_MESSAGE = _("Someone else changed this while you were editing it. Their change is shown below; your input "
                  "is kept: save again to apply it over theirs.")
MISSING_MESSAGE = _("This form did not say which version it was loaded from, so it could overwrite someone "
                    "else's change. The current values are shown below; save again to apply your input.")


class StaleEdit(Exception):
    """A save that started from ``started`` (None: unknown) while the row is at ``current``."""

    def __init__(self, instance, *, started, current):
        super().__init__(f"{type(instance).__name__} {instance.pk}: version {started} is not {current}")
        self.instance = instance
        self.started = started
        self.current = current


@dataclass
class Conflict:
    """Another person's change, between the version a form started from and the current one."""

    people: list = field(default_factory=list)
    when: object = None
    changes: list = field(default_factory=list)


def current_version(model, pk):
    return model._default_manager.filter(pk=pk).values_list("version", flat=True).first()


def claim(instance, expected):
    """Take version ``expected`` of ``instance``'s row and make it ``expected + 1``, or raise StaleEdit.

    One ``UPDATE … WHERE version = expected``: of two saves that started from the same version,
    the database lets exactly one through. A missing version is refused like a stale one.
    """
    model = type(instance)
    if expected is not None and model._default_manager.filter(
            pk=instance.pk, version=expected).update(version=expected + 1) == 1:
        instance.version = expected + 1
        return
    raise StaleEdit(instance, started=expected, current=current_version(model, instance.pk))


def find_conflict(model, pk, started_version, extra=None):
    """What changed since ``started_version`` of one row, read from its history.

    ``extra(start_record, current_record)`` may add changes of related rows (e.g. the person).
    """
    history_model = model.history.model
    records = list(history_model.objects.filter(id=pk).select_related("history_user").order_by("history_id"))
    conflict = Conflict()
    if not records:
        return conflict
    start = next((r for r in reversed(records) if r.version == started_version), None)
    current = records[-1]
    later = [r for r in records if start is not None and r.history_id > start.history_id] or [current]
    seen = []
    for record in later:
        name = user_name(record.history_user) if record.history_user else _gettext("system")
        if name not in seen:
            seen.append(name)
    conflict.people = seen
    conflict.when = later[-1].history_date
    if start is not None:
        values = m2m_values_of(history_model, [start.history_id, current.history_id])
        changes = raw_changes(history_model, start, current, values)
        if extra is not None:
            changes += extra(start, current)
        conflict.changes = display_changes([changes])[0]
    return conflict


class VersionedForm(forms.ModelForm):
    """A model form that refuses to save over a change it did not see (see the module docstring)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    stale_message = STALE_MESSAGE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            started = cleaned.get("version")
            current = current_version(type(self.instance), self.instance.pk)
            if current is not None and started != current:
                self.show_stale(StaleEdit(self.instance, started=started, current=current))
        return cleaned

    def describe_conflict(self, started):
        return find_conflict(type(self.instance), self.instance.pk, started)

    def show_stale(self, stale):
        """Refuse the save and show what the other person changed; the user's input stays in the form."""
        self.conflict = self.describe_conflict(stale.started)
        if stale.current is not None:
            data = self.data.copy()
            data[self.add_prefix("version")] = stale.current
            self._take_their_changes(data)
            self.data = data
        message = MISSING_MESSAGE if stale.started is None else self.stale_message
        self.add_error(None, forms.ValidationError(message, code="stale"))


    def _take_their_changes(self, data):
        """Fields the other person changed and this user left as they found them now show the
        other person's value, so that saving again applies only what this user changed."""
        cleaned = getattr(self, "cleaned_data", {})
        for change in self.conflict.changes:
            name = change.field.name
            if name not in self.fields or name not in cleaned or _comparable(cleaned[name]) != _comparable(change.old):
                continue
            key = self.add_prefix(name)
            if change.field.many_to_many:
                ids = [str(pk) for pk in sorted(change.new or ())]
                data.setlist(key, ids) if hasattr(data, "setlist") else data.__setitem__(key, ids)
            elif isinstance(self.fields[name], forms.BooleanField):
                if change.new:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                data[key] = "" if change.new is None else change.new


def _comparable(value):
    """A form's cleaned value and a history record's raw value, alike: ids for related rows."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "values_list"):
        return {getattr(item, "pk", item) for item in value}
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else value


def posted_version(request):
    """The ``version`` a delete or other bare POST carries, or None."""
    raw = request.POST.get("version", "")
    return whole_number(raw)


def bump(instance):
    """Move the version of a row changed outside a form's ``claim`` — a reschedule, a restore, an
    imported cell, the side effect of another row's save — so that a form still open on it is
    refused instead of saving over the change. The caller saves ``instance`` with its version."""
    instance.version += 1
    return instance
