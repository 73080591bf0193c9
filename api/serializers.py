"""What the API shows of each object and which fields a client may send.

Serializers validate input only: every write goes through the services the pages use (see
api/views.py), never ``serializer.save()`` straight to a model. Schedule fields (early/late
dates, float, critical, levelled dates) are computed and read-only.
"""
import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onboarding import access
from onboarding.models import Flow, Plan, Product, Scenario, Workspace
from schedule.models import Baseline, Phase, Task, TaskLink
from schedule.selectors import plan_status
from sharing.models import ShareLink
from stakeholders.models import PlanStakeholder


def _user(serializer):
    return serializer.context["request"].user


class StrictPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id or null: "" is refused (DRF reads it as null, a habit of HTML forms, not of JSON)."""

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("incorrect_type", data_type="str")
        return super().run_validation(data)


class ScopedPrimaryKeyField(StrictPrimaryKeyField):
    """An id among what the requesting user may read: another workspace's id reads as unknown."""

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        return self.scope(request.user, self.queryset)


def in_readable_plans(user, queryset):
    return queryset.filter(plan__in=access.plans_readable_by(user))


def in_my_workspaces(user, queryset):
    return queryset.filter(workspace_id__in=list(access.roles(user)))


class WorkspaceSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role in this workspace.")

    class Meta:
        model = Workspace
        fields = ["id", "name", "role", "created_at"]

    def get_role(self, workspace) -> str:
        return access.role_in(_user(self), workspace.pk) or ""


@extend_schema_field({"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]})
class OptionalURLField(serializers.URLField):
    """A URL, or "" when nobody has entered one."""


class ProductSerializer(serializers.ModelSerializer):
    official_url = OptionalURLField(read_only=True)
    api_docs_url = OptionalURLField(read_only=True)
    console_url = OptionalURLField(read_only=True)

    class Meta:
        model = Product
        fields = ["id", "workspace", "name", "vendor_kind", "vendor_name", "category", "official_url",
                  "api_docs_url", "console_url", "description", "created_at", "updated_at"]
        read_only_fields = fields


class ScenarioSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scenario
        fields = ["id", "workspace", "name", "kind", "business_model", "channel_chain", "channel_development",
                  "products_distributed", "business_model_notes", "pain_points", "service_strategy", "contact"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    """A plan with its status as every page shows it (schedule/selectors.py plan_status)."""

    owner = serializers.CharField(source="owner.username", read_only=True)
    product = ScopedPrimaryKeyField(in_my_workspaces, queryset=Product.objects.all())
    scenario = ScopedPrimaryKeyField(in_my_workspaces, queryset=Scenario.objects.all(), allow_null=True,
                                     required=False)
    target_launch = serializers.DateField(source="target_launch_date", allow_null=True, required=False)
    forecast_launch = serializers.DateField(source="status_now.forecast_launch", read_only=True, allow_null=True)
    health = serializers.ChoiceField(source="status_now.health", read_only=True,
                                     choices=["on_track", "at_risk", "late"])
    health_reasons = serializers.ListField(source="status_now.reasons", child=serializers.CharField(),
                                           read_only=True, help_text="Why the health is what it is, in words.")
    slip_working_days = serializers.IntegerField(
        source="status_now.slip", read_only=True, allow_null=True,
        help_text="Working days the forecast launch moved against the latest baseline (+ = later).")
    target_gap_working_days = serializers.IntegerField(
        source="status_now.target_gap", read_only=True, allow_null=True,
        help_text="Working days the forecast launch is after (+) or before (−) the target launch.")
    percent_done = serializers.IntegerField(source="status_now.percent_done", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "workspace", "name", "product", "scenario", "owner", "start_date", "target_launch",
                  "status", "summary", "version", "created_at", "updated_at", "forecast_launch", "health",
                  "health_reasons", "slip_working_days", "target_gap_working_days", "percent_done"]
        read_only_fields = ["id", "workspace", "owner", "version", "created_at", "updated_at"]

    def to_representation(self, plan):
        if not hasattr(plan, "status_now"):
            plan.status_now = plan_status(plan)
        return super().to_representation(plan)


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "plan", "name", "position", "version"]
        read_only_fields = fields


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskLink
        fields = ["id", "predecessor", "type", "lag"]
        read_only_fields = fields


def predecessor_rows(task_ids):
    """{task id: its links in, as the API shows them}, for many tasks in one query."""
    rows = {pk: [] for pk in task_ids}
    for link in TaskLink.objects.filter(successor_id__in=task_ids).order_by("id").values(
            "id", "successor_id", "predecessor_id", "type", "lag"):
        rows[link["successor_id"]].append({"id": link["id"], "predecessor": link["predecessor_id"],
                                           "type": link["type"], "lag": link["lag"]})
    return rows


SCHEDULE_FIELDS = ["early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float",
                   "is_critical", "levelled_start", "levelled_finish"]


class TaskSerializer(serializers.ModelSerializer):
    plan = ScopedPrimaryKeyField(lambda user, qs: access.plans_readable_by(user), queryset=Plan.objects.all())
    phase = ScopedPrimaryKeyField(in_readable_plans, queryset=Phase.objects.all(), allow_null=True, required=False)
    owner = ScopedPrimaryKeyField(in_readable_plans, queryset=PlanStakeholder.objects.all(), allow_null=True,
                                  required=False, help_text="A stakeholder of the plan (see /plan-stakeholders/).")
    owner_name = serializers.CharField(read_only=True, allow_null=True, default=None)
    related_flow = ScopedPrimaryKeyField(in_readable_plans, queryset=Flow.objects.all(), allow_null=True,
                                         required=False)
    predecessors = LinkSerializer(many=True, read_only=True,
                                  help_text="The links into this task: its predecessors, type (FS/SS/FF/SF), lag.")
    schedule_note = serializers.CharField(source="schedule_note_text", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "phase", "title", "description", "owner", "owner_name", "related_flow", "duration",
                  "is_milestone", "is_launch", "start_no_earlier_than", "must_start_on", "deadline", "status",
                  "percent_complete", "actual_start", "actual_finish", "priority_override", "visibility", "position",
                  "version",
                  *SCHEDULE_FIELDS, "schedule_note", "predecessors"]
        read_only_fields = ["id", "position", "version", *SCHEDULE_FIELDS]

    # Read by attribute, in the order of Meta.fields: the list of 1,000 tasks is built without
    # DRF's per-field machinery (bench/api_bench.py); the declared fields still validate input and
    # describe the schema, and tests/api/test_api_schemathesis.py checks the two agree.
    PLAIN = ("id", "plan_id", "phase_id", "title", "description", "owner_id", "owner_name", "related_flow_id",
             "duration", "is_milestone", "is_launch", "start_no_earlier_than", "must_start_on", "deadline", "status",
             "percent_complete", "actual_start", "actual_finish", "priority_override", "visibility", "position",
             "version", *SCHEDULE_FIELDS)

    def to_representation(self, task):
        data = {}
        for attname in self.PLAIN:
            value = getattr(task, attname, None)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[attname.removesuffix("_id") if attname != "id" else attname] = value
        if data["owner_name"] is None and task.owner_id is not None:
            data["owner_name"] = task.owner.stakeholder.name
        data["schedule_note"] = task.schedule_note_text
        links = getattr(task, "links_data", None)
        if links is None:
            links = predecessor_rows([task.pk])[task.pk]
        data["predecessors"] = links
        return data

    def validate(self, attrs):
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        if self.instance is not None and "plan" in attrs and attrs["plan"].pk != self.instance.plan_id:
            raise serializers.ValidationError({"plan": _("A task cannot move to another plan.")})
        for name in ("phase", "owner", "related_flow"):
            value = attrs.get(name)
            if value is not None and plan is not None and value.plan_id != plan.pk:
                raise serializers.ValidationError({name: _("This belongs to another plan.")})
        return attrs


class PlanStakeholderSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="stakeholder.name", read_only=True)
    organisation = serializers.CharField(source="stakeholder.organisation", read_only=True)
    side = serializers.CharField(source="stakeholder.side", read_only=True)

    class Meta:
        model = PlanStakeholder
        fields = ["id", "plan", "stakeholder", "name", "organisation", "side", "concerns", "modules", "relevance",
                  "influence", "audience", "capacity", "position", "version"]
        read_only_fields = ["id", "plan", "stakeholder", "position", "version"]


class BaselineSerializer(serializers.ModelSerializer):
    plan = ScopedPrimaryKeyField(lambda user, qs: access.plans_readable_by(user), queryset=Plan.objects.all())

    class Meta:
        model = Baseline
        fields = ["id", "plan", "name", "created_at", "launch_date"]
        read_only_fields = ["id", "created_at", "launch_date"]
        validators = []  # baseline_create says which name is taken, under the plan's lock


class ShareLinkSerializer(serializers.ModelSerializer):
    plan = ScopedPrimaryKeyField(lambda user, qs: access.plans_writable_by(user), queryset=Plan.objects.all())
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ShareLink
        fields = ["id", "plan", "audience", "label", "token_hint", "created_at", "expires_on", "revoked_at",
                  "last_used_at", "view_count", "is_active"]
        read_only_fields = ["id", "token_hint", "created_at", "revoked_at", "last_used_at", "view_count"]


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    url = serializers.CharField(read_only=True, help_text="The share link. Shown only in this answer.")

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "url"]
