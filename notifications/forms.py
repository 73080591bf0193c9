from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.versioning import VersionedForm
from schedule.models import Task

from .models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["app_mention", "email_mention", "app_assigned", "email_assigned", "app_rescheduled",
                  "email_rescheduled", "app_due", "daily_reminders", "weekly_digest", "language"]

    # (what, its field in the app, its field by email), in the order the page shows them.
    KINDS = [
        (_("Someone mentions me"), "app_mention", "email_mention"),
        (_("Someone gives me a task"), "app_assigned", "email_assigned"),
        (_("Someone else moves the dates of my tasks"), "app_rescheduled", "email_rescheduled"),
        (_("My tasks are due soon or overdue"), "app_due", "daily_reminders"),
        (_("Weekly digest"), None, "weekly_digest"),
    ]

    def kind_rows(self):
        return [(label, self[app] if app else None, self[email]) for label, app, email in self.KINDS]


class TaskProgressForm(VersionedForm):
    """A task's status and % complete, changed from My work (the rest of the task as it is)."""

    class Meta:
        model = Task
        fields = ["status", "percent_complete"]

    def clean(self):
        cleaned = super().clean()
        # Done is 100 %: choosing "Done" says so without typing 100 as well.
        if cleaned.get("status") == Task.Status.DONE and "percent_complete" not in self.errors:
            cleaned["percent_complete"] = self.instance.percent_complete = 100
        return cleaned


class MarkReadForm(forms.Form):
    """Which item to mark read; none: all of them."""

    item = forms.IntegerField(required=False, min_value=1)
