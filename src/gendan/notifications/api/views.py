from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import services
from .. import views as pages
from ..selectors import notification_list, webhook_list
from . import serializers as s


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class DeliveryResultSerializer(serializers.Serializer):
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own notifications, unread first. Nobody reads anyone else's."""

    serializer_class = s.NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    queryset = notification_list(user=None)

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in {"1", "true", "yes"}
        return notification_list(user=self.request.user, unread_only=unread)

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="only unread notifications")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        notification = self.get_object()
        notification = services.notification_mark_read(user=request.user, notification_id=notification.pk)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="mark-all-read")
    def mark_all_read(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


class DepartmentWebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Departments' chat robots (administrators). Disable with `is_active: false`; nothing is deleted."""

    serializer_class = s.DepartmentWebhookSerializer
    queryset = webhook_list(user=None)
    filter_backends = []

    entity = pages.webhooks  # the pages' queryset and services

    def get_queryset(self):
        return self.entity.queryset(self.request.user).order_by("department__code", "name", "pk")

    # A service's ValidationError becomes a 400 in gendan.core.api.exceptions.
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = self.entity.create(actor=self.request.user, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        pk = serializer.instance.pk
        serializer.instance = self.entity.update(actor=self.request.user, pk=pk, data=data)

    @extend_schema(request=None, responses=DeliveryResultSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Send a test message now and return the robot's verdict."""
        webhook = self.get_object()
        delivery = services.webhook_send_test(actor=request.user, pk=webhook.pk)
        return Response(
            {"status": delivery.status, "attempts": delivery.attempts, "last_error": delivery.last_error}
        )


def register(router) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")
    router.register("department-webhooks", DepartmentWebhookViewSet, basename="departmentwebhook")
