from django.contrib import admin
from django.utils.translation import ngettext

from .holiday_years import reschedule_plans_crossing
from .models import (
    Baseline,
    LevellingRun,
    OfficialHolidayYear,
    Phase,
    ScheduleSettings,
    Task,
    TaskLink,
    Template,
    TemplateLink,
    TemplateTask,
    WatchOut,
)


class WatchOutInline(admin.TabularInline):
    model = WatchOut
    extra = 0


class PredecessorInline(admin.TabularInline):
    model = TaskLink
    fk_name = "successor"
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "phase", "owner", "duration", "status"]
    list_filter = ["status", "plan"]
    search_fields = ["title"]
    inlines = [PredecessorInline, WatchOutInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "position"]


class TemplateTaskInline(admin.TabularInline):
    model = TemplateTask
    extra = 0


class TemplateLinkInline(admin.TabularInline):
    model = TemplateLink
    extra = 0


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "workspace"]
    inlines = [TemplateTaskInline, TemplateLinkInline]


@admin.register(OfficialHolidayYear)
class OfficialHolidayYearAdmin(admin.ModelAdmin):
    """Years the holiday package does not know (it stops at 2026); see manage.py import_holidays."""

    list_display = ["year", "holiday_count", "makeup_count", "note"]

    @admin.display(description="holidays")
    def holiday_count(self, obj):
        return len(obj.holidays)

    @admin.display(description="make-up days")
    def makeup_count(self, obj):
        return len(obj.makeup_workdays)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._rescheduled(request, obj.year)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._rescheduled(request, obj.year)

    def delete_queryset(self, request, queryset):
        years = list(queryset.values_list("year", flat=True))
        super().delete_queryset(request, queryset)
        for year in years:
            self._rescheduled(request, year)

    def _rescheduled(self, request, year):
        # Same as the Holidays page: the plans running through the year move now.
        outcome = reschedule_plans_crossing(year)
        self.message_user(request, ngettext("%(count)d plan rescheduled.", "%(count)d plans rescheduled.",
                                            outcome.rescheduled) % {"count": outcome.rescheduled})


@admin.register(ScheduleSettings)
class ScheduleSettingsAdmin(admin.ModelAdmin):
    list_display = ["plan", "computed_at", "levelled_at"]
    readonly_fields = ["computed_at", "levelled_at", "summary"]


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "created_at", "launch_date"]


@admin.register(LevellingRun)
class LevellingRunAdmin(admin.ModelAdmin):
    list_display = ["plan", "state", "progress", "method", "created_at", "finished_at"]
    readonly_fields = ["result", "error"]
