from django.contrib import admin

from .models import Flow, Lane, Metric, Plan, Product, Scenario, Step


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor_name", "vendor_kind", "category"]
    search_fields = ["name", "vendor_name"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "business_model", "contact"]
    list_filter = ["kind"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "product", "owner", "status", "start_date", "target_launch_date"]
    list_filter = ["status"]
    filter_horizontal = ["editors", "viewers"]


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
