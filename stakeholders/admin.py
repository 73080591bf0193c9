from django.contrib import admin

from .models import PlanStakeholder, Stakeholder


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "organisation", "department", "side", "role"]
    list_filter = ["workspace", "side"]
    search_fields = ["name", "organisation"]


@admin.register(PlanStakeholder)
class PlanStakeholderAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "plan", "audience", "relevance", "influence"]
    list_filter = ["audience", "plan"]
