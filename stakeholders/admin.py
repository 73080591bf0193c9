from django.contrib import admin

from .models import PlanStakeholder, Stakeholder


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "organisation", "department", "side", "role"]
    list_filter = ["workspace", "side"]
    search_fields = ["name", "organisation"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        # Every plan's stakeholder form carries the person's version: bumping it here makes a form
        # loaded before this save refuse to put the old details back.
        if change:
            obj.version = (Stakeholder.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
                           or obj.version) + 1
        super().save_model(request, obj, form, change)


@admin.register(PlanStakeholder)
class PlanStakeholderAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "plan", "audience", "relevance", "influence"]
    list_filter = ["audience", "plan"]
