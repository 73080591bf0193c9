"""/api/v1/webhooks/: the webhooks of the workspaces where the caller is a PM or an administrator
(onboarding/access.py: webhook_workspaces, read by webhooks/selectors.py); another workspace's hooks are 404. The secret is
in the answer to the create only; writes go through webhooks/services.py like the page.
/api/v1/webhooks/{id}/deliveries/ is the hook's delivery log and .../{delivery_id}/redeliver/
sends one again, as on the hook's page."""
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.serializers import StrictPrimaryKeyField
from api.views import ApiCursorPagination
from onboarding.access import plans_readable_by, webhook_workspaces

from . import services
from .selectors import webhooks_manageable_by
from .models import Event, Webhook, WebhookDelivery

class WebhookSerializer(serializers.ModelSerializer):
    serializer_related_field = StrictPrimaryKeyField
    events = serializers.MultipleChoiceField(choices=Event.choices)
    secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200,
                                   help_text="A Feishu/DingTalk robot's signing secret; empty: one is generated.")

    class Meta:
        model = Webhook
        fields = ["id", "workspace", "plan", "name", "url", "events", "format", "language", "active", "secret",
                  "created_at"]
        read_only_fields = ["created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and "workspace" in self.fields:
            self.fields["workspace"].queryset = webhook_workspaces(user)
            self.fields["plan"].queryset = plans_readable_by(user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["events"] = [value for value, _label in Event.choices if value in instance.events]
        return data

    def validate(self, attrs):
        workspace = attrs.get("workspace", getattr(self.instance, "workspace", None))
        plan = attrs.get("plan", getattr(self.instance, "plan", None))
        if plan is not None and workspace is not None and plan.workspace_id != workspace.pk:
            raise serializers.ValidationError({"plan": "This plan is not in the webhook's workspace."})
        if "events" in attrs:
            attrs["events"] = [value for value, _label in Event.choices if value in attrs["events"]]
        return attrs


class DeliverySerializer(serializers.ModelSerializer):
    last_error = serializers.SerializerMethodField(help_text="Why the last try failed, in words; empty if it did not.")

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event_type", "status", "response_code", "attempts", "next_try_at",
                  "last_try_at", "created_at", "last_error", "payload"]
        read_only_fields = fields

    def get_last_error(self, delivery) -> str:
        return gettext(delivery.last_error) if delivery.last_error else ""


class DeliveryPagination(ApiCursorPagination):
    ordering = "-id"  # the newest first, as on the page


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True, help_text="The signing secret: in this answer only.")


@extend_schema_view(
    create=extend_schema(summary="Add a webhook: its secret is in this answer only",
                         responses={201: WebhookCreatedSerializer}),
)
class WebhookViewSet(viewsets.ModelViewSet):
    queryset = Webhook.objects.none()  # the schema's model; get_queryset scopes every request
    serializer_class = WebhookSerializer
    pagination_class = ApiCursorPagination

    def get_queryset(self):
        return webhooks_manageable_by(self.request.user).order_by("id")

    def _save(self, serializer, **extra):
        data = dict(serializer.validated_data)
        secret = data.pop("secret", "")
        hook = serializer.instance or Webhook(**extra)
        for name, value in data.items():
            setattr(hook, name, value)
        return services.webhook_save(webhook=hook, secret=secret)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hook = self._save(serializer, created_by=request.user)
        response = Response(WebhookCreatedSerializer(hook, context=self.get_serializer_context()).data,
                            status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    def update(self, request, *args, partial=False, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(self._save(serializer)).data)

    def perform_destroy(self, instance):
        services.webhook_delete(webhook=instance)

    @extend_schema(summary="The hook's delivery log, newest first: status, answer code, attempts, next try",
                   responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=DeliveryPagination, filter_backends=[])
    def deliveries(self, request, pk=None):
        paginator = DeliveryPagination()
        page = paginator.paginate_queryset(self.get_object().deliveries.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(summary="Send a delivery again now, with a fresh round of retries", request=None,
                   responses={200: DeliverySerializer},
                   parameters=[OpenApiParameter("delivery_id", int, OpenApiParameter.PATH)])
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver")
    def redeliver(self, request, pk=None, delivery_id=None):
        delivery = get_object_or_404(self.get_object().deliveries, pk=delivery_id)
        with transaction.atomic():
            delivery = services.delivery_redeliver(delivery=delivery)
        return Response(DeliverySerializer(delivery).data)
