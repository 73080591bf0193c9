from django.contrib import admin

from .models import Phase, Task, TaskLink, Template, TemplateLink, TemplateTask, WatchOut


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
    list_display = ["name", "slug"]
    inlines = [TemplateTaskInline, TemplateLinkInline]
