"""The REST API's endpoints under /api/v1/.

Every queryset starts from onboarding/access.py, so another workspace's objects are 404 and a
reader who may not change a plan gets 403 on a write. Writes validate with a serializer and then
call the services the pages use (onboarding/services.py, schedule/services.py,
stakeholders/services.py, sharing/links.py); versioned rows need If-Match (api/concurrency.py).
"""
import copy

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from config.query_strings import whole_number
from onboarding import access
from onboarding.services import plan_create, plan_update
from schedule import services as schedule_services
from schedule.models import Baseline, Phase, Task
from sharing import links
from sharing.models import ShareLink
from stakeholders.models import PlanStakeholder
from stakeholders.services import plan_stakeholder_save

from . import filters
from . import serializers as s
from .concurrency import PreconditionFailed, if_match_version, with_etag

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='The ETag you read (e.g. "3"). Missing: 428. Stale: 412 and nothing changes.')


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "id"

    def get_page_size(self, request):
        """A page_size that is not a whole number from 1 to max_page_size is refused (DRF would
        silently use the default, and the client would not know it got another page size)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = whole_number(raw, self.max_page_size)
        if not size:
            raise ValidationError({self.page_size_query_param: [
                _("Send a whole number from 1 to %(max)d.") % {"max": self.max_page_size}]})
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class ApiViewSet(viewsets.GenericViewSet):
    pagination_class = ApiCursorPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ["id"]

    def ensure_can_write(self, plan):
        if not access.can_write_plan(self.request.user, plan):
            raise PermissionDenied()


class VersionedMixin:
    """GET with the row's ETag; PUT/PATCH: validate the body, check If-Match against the version,
    save through the service (``save_versioned``), answer the row as saved with its new ETag.

    The body is checked before If-Match: a malformed body is 400 whatever version it names."""

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return with_etag(Response(self.get_serializer(obj).data), obj)

    def plan_of(self, obj):
        return obj.plan

    def save_versioned(self, obj, changed, version):
        raise NotImplementedError

    def answer(self, obj, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        return with_etag(Response(self.get_serializer(obj).data, status=code), obj)

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request, *args, partial=False, **kwargs):
        obj = self.get_object()
        self.ensure_can_write(self.plan_of(obj))
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        version = checked_version(request, obj)
        changed = copy.copy(obj)
        for name, value in serializer.validated_data.items():
            setattr(changed, name, value)
        self.save_versioned(obj, changed, version)
        return self.answer(obj)

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


def checked_version(request, obj):
    """The If-Match version (428 when missing), refused at once with 412 when it is not current."""
    version = if_match_version(request)
    if version != obj.version:
        raise PreconditionFailed()
    return version


# ----------------------------------------------------------------------------- the catalogue
@extend_schema_view(list=extend_schema(summary="Your workspaces, with your role in each"))
class WorkspaceViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = access.Workspace.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.WorkspaceSerializer
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return access.workspaces_of(self.request.user)


class ProductViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = access.Product.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.ProductSerializer
    filterset_class = filters.ProductFilter
    ordering_fields = ["id", "name", "updated_at"]

    def get_queryset(self):
        return access.products_readable_by(self.request.user)


class ScenarioViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = access.Scenario.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.ScenarioSerializer
    filterset_class = filters.ScenarioFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return access.scenarios_readable_by(self.request.user)


# ----------------------------------------------------------------------------- plans
@extend_schema_view(
    create=extend_schema(summary="Create a plan (owned by you) in the product's workspace"),
)
class PlanViewSet(ApiViewSet, VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = s.Plan.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.PlanSerializer
    filterset_class = filters.PlanFilter
    ordering_fields = ["id", "name", "start_date", "created_at", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return access.plans_readable_by(self.request.user).select_related("owner", "product", "scenario")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workspace = data["product"].workspace
        if not access.can_create_plans(request.user, workspace):
            raise PermissionDenied()
        plan = s.Plan(workspace=workspace, owner=request.user, **{
            key: value for key, value in data.items() if key in {
                "name", "product", "scenario", "start_date", "target_launch_date", "status", "summary"}})
        return self.answer(plan_create(plan=plan).obj, status.HTTP_201_CREATED)

    def plan_of(self, plan):
        return plan

    def save_versioned(self, plan, changed, version):
        plan_update(plan=changed, version=version)


class PhaseViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = Phase.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.PhaseSerializer
    filterset_class = filters.PhaseFilter
    ordering_fields = ["id", "position", "name"]

    def get_queryset(self):
        return Phase.objects.filter(plan__in=access.plans_readable_by(self.request.user))


# ----------------------------------------------------------------------------- tasks
@extend_schema_view(
    list=extend_schema(summary="Tasks of the plans you may read (filter by plan, phase, owner, status…)"),
    create=extend_schema(summary="Add a task at the end of its phase; the plan is rescheduled"),
    destroy=extend_schema(parameters=[IF_MATCH], responses={204: None}),
)
class TaskViewSet(ApiViewSet, VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = Task.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.TaskSerializer
    filterset_class = filters.TaskFilter
    ordering_fields = ["id", "position", "title", "status", "duration", "version"]

    def get_queryset(self):
        return (Task.objects.filter(plan__in=access.plans_readable_by(self.request.user))
                .annotate(owner_name=F("owner__stakeholder__name")))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        links = s.predecessor_rows([task.pk for task in page])
        for task in page:
            task.links_data = links[task.pk]
        return page

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = serializer.validated_data["plan"]
        self.ensure_can_write(plan)
        task = Task(**serializer.validated_data)
        task = schedule_services.task_create(plan=plan, task=task).obj
        return self.answer(task, status.HTTP_201_CREATED)

    def save_versioned(self, task, changed, version):
        schedule_services.task_update(plan=task.plan, task=changed, version=version)

    def destroy(self, request, *args, **kwargs):
        task = self.get_object()
        self.ensure_can_write(task.plan)
        schedule_services.task_delete(plan=task.plan, task=task, version=checked_version(request, task))
        return Response(status=status.HTTP_204_NO_CONTENT)


# ----------------------------------------------------------------------------- stakeholders of a plan
class PlanStakeholderViewSet(ApiViewSet, VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = PlanStakeholder.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.PlanStakeholderSerializer
    filterset_class = filters.PlanStakeholderFilter
    ordering_fields = ["id", "position", "relevance", "influence"]
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (PlanStakeholder.objects.filter(plan__in=access.plans_readable_by(self.request.user))
                .select_related("stakeholder"))

    def save_versioned(self, membership, changed, version):
        plan_stakeholder_save(plan=membership.plan, membership=changed, version=version,
                              steps=list(membership.steps.all()))


# ----------------------------------------------------------------------------- baselines
@extend_schema_view(
    create=extend_schema(summary="Save a baseline: every task's dates and the forecast launch, now"),
)
class BaselineViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = Baseline.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.BaselineSerializer
    filterset_class = filters.BaselineFilter
    ordering_fields = ["id", "created_at", "name"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return Baseline.objects.filter(plan__in=access.plans_readable_by(self.request.user))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = serializer.validated_data["plan"]
        self.ensure_can_write(plan)
        baseline = schedule_services.baseline_create(plan=plan, name=serializer.validated_data["name"],
                                                     user=request.user).obj
        return Response(self.get_serializer(baseline).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        baseline = self.get_object()
        self.ensure_can_write(baseline.plan)
        schedule_services.baseline_delete(plan=baseline.plan, baseline=baseline)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ----------------------------------------------------------------------------- share links
@extend_schema_view(
    list=extend_schema(summary="Share links of the plans you may change"),
    create=extend_schema(summary="Create a share link: its URL is in this answer only",
                         responses={201: s.ShareLinkCreatedSerializer}),
)
class ShareLinkViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = ShareLink.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = s.ShareLinkSerializer
    filterset_class = filters.ShareLinkFilter
    ordering_fields = ["id", "created_at"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return ShareLink.objects.filter(plan__in=access.plans_writable_by(self.request.user))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        link, token = links.create_link(data["plan"], audience=data["audience"], created_by=request.user,
                                        expires_on=data.get("expires_on"), label=data.get("label", ""))
        link.url = request.build_absolute_uri(links.share_path(token))
        response = Response(s.ShareLinkCreatedSerializer(link, context=self.get_serializer_context()).data,
                            status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={200: s.ShareLinkSerializer},
                   summary="Revoke a share link at once (revoking it again changes nothing)")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        link = self.get_object()
        links.revoke_link(link)
        return Response(self.get_serializer(link).data)
