import datetime

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import PLAN_RESTORE_DAYS, Flow, Lane, Metric, Plan, Product, Scenario, Step, Workspace, WorkspaceMember


class MemberInline(admin.TabularInline):
    model = WorkspaceMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    """Staff create workspaces and add their members here (a plan moves on its own page)."""

    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MemberInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "vendor_name", "vendor_kind", "category"]
    list_filter = ["workspace"]
    search_fields = ["name", "vendor_name"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "kind", "business_model", "contact"]
    list_filter = ["workspace", "kind"]


class DeletedPlansFilter(admin.SimpleListFilter):
    title = _("deleted plans")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", _("Deleted plans")), ("no", _("Live plans"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "product", "owner", "status", "start_date", "target_launch_date",
                    "deleted_at", "deleted_by"]
    list_filter = [DeletedPlansFilter, "workspace", "status"]
    filter_horizontal = ["editors", "viewers"]
    readonly_fields = ["deleted_at", "deleted_by"]
    actions = ["restore_plans"]

    @admin.action(description=_("Restore the selected deleted plans"))
    def restore_plans(self, request, queryset):
        cutoff = timezone.now() - datetime.timedelta(days=PLAN_RESTORE_DAYS)
        restored = skipped = 0
        for plan in queryset.filter(deleted_at__isnull=False):
            if plan.deleted_at < cutoff:
                skipped += 1  # due for purging: the owner was told it was gone for good
                continue
            plan.deleted_at = None
            plan.deleted_by = None
            plan.save(update_fields=["deleted_at", "deleted_by"])
            restored += 1
        if restored:
            self.message_user(request, ngettext("%(count)d plan restored.", "%(count)d plans restored.", restored)
                              % {"count": restored}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(count)d plan was deleted more than %(days)d days ago and cannot be restored.",
                "%(count)d plans were deleted more than %(days)d days ago and cannot be restored.", skipped)
                % {"count": skipped, "days": PLAN_RESTORE_DAYS}, messages.WARNING)
        if not restored and not skipped:
            self.message_user(request, _("None of the selected plans is deleted."), messages.INFO)


class LaneInline(admin.TabularInline):
    model = Lane
    extra = 0


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


class MetricInline(admin.TabularInline):
    model = Metric
    extra = 0


@admin.register(Flow)
class FlowAdmin(admin.ModelAdmin):
    list_display = ["name", "plan"]
    inlines = [LaneInline, StepInline, MetricInline]
