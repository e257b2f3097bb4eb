"""Plan approval in the API: `/api/plan-approvals/<version id>/submit|approve|reject|withdraw/`
(the same services, rules and refusals as the pages: 403, 404, 409 on a conflict, 400 naming the
field) and `/api/plans/`, the orders with their plan state (the plan list page's filter set)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.orders.models import Order

from ..choices import PlanState, VersionStatus
from ..filters import PlanFilter
from ..models import PlanVersion
from ..selectors import plan_list
from ..services import flow
from ..services.flow import REASON_MAX


class PlanPermission(permissions.BasePermission):
    """The role must read plans at all; which ones and what he may do is restrict()'s and the services'."""

    def has_permission(self, request, view):
        return PlanVersion.objects.all().role_allows(request.user, "view")


class OrderReadPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return Order.objects.all().role_allows(request.user, "view")


class PlanApprovalSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="plan.order_id", read_only=True)
    order_number = serializers.CharField(source="plan.order.number", read_only=True)
    status = serializers.ChoiceField(choices=VersionStatus.choices, read_only=True)
    submitted_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    decided_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    open_warnings = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "order",
            "order_number",
            "number",
            "status",
            "planned_start",
            "planned_finish",
            "tardiness_minutes",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "reason",
            "open_warnings",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_open_warnings(self, obj) -> int:
        return len(flow.unacknowledged_warnings(obj))


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class PlanFlowViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A plan version's approval steps. Reading a version: GET /api/plan-approvals/<id>/."""

    serializer_class = PlanApprovalSerializer
    permission_classes = [PlanPermission]
    queryset = PlanVersion.objects.none()

    def get_queryset(self):
        return (
            PlanVersion.objects.restrict(self.request.user, "view")
            .select_related("plan__order", "submitted_by", "decided_by")
            .order_by("pk")
        )

    def _step(self, request, pk, service, body_class=None):
        version = get_object_or_404(self.get_queryset(), pk=pk)  # 404 for a version he may not see
        kwargs = {}
        if body_class is not None:
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            kwargs = dict(body.validated_data)
        service(actor=request.user, version_id=version.pk, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=version.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, pk, flow.plan_submit)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, pk, flow.plan_approve)

    @extend_schema(request=RejectSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, pk, flow.plan_reject, RejectSerializer)

    @extend_schema(request=WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, pk, flow.plan_withdraw, WithdrawSerializer)


class PlanRowSerializer(serializers.Serializer):
    """An order as the plan list shows it (no prices)."""

    order = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    customer = serializers.CharField(source="customer.local_name")
    merchandiser = serializers.StringRelatedField(allow_null=True)
    delivery_date = serializers.DateField(source="first_delivery", allow_null=True)
    planned_finish = serializers.DateTimeField(allow_null=True)
    late_minutes = serializers.IntegerField()
    state = serializers.ChoiceField(source="plan_state", choices=PlanState.choices)
    in_force = serializers.SerializerMethodField()
    reopened_at = serializers.SerializerMethodField()
    reopened_reason = serializers.SerializerMethodField()
    rejected_reason = serializers.SerializerMethodField()

    def _plan(self, obj):
        return getattr(obj, "plan", None) if hasattr(obj, "plan") else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_in_force(self, obj):
        plan = self._plan(obj)
        return plan.in_force_id if plan else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_reopened_at(self, obj):
        plan = self._plan(obj)
        return (
            serializers.DateTimeField().to_representation(plan.reopened_at)
            if plan and plan.reopened_at
            else None
        )

    @extend_schema_field(serializers.CharField())
    def get_reopened_reason(self, obj) -> str:
        plan = self._plan(obj)
        return plan.reopened_reason if plan else ""

    @extend_schema_field(serializers.CharField())
    def get_rejected_reason(self, obj) -> str:
        return (obj.latest_reason or "") if obj.plan_state == PlanState.REJECTED else ""


class PlanListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orders to plan and orders with a plan, with where each plan stands; GET /api/plans/<order id>/."""

    serializer_class = PlanRowSerializer
    filterset_class = PlanFilter
    # The rows are orders (selectors.plan_list): whoever reads orders may ask; a role that does not
    # read plans (warehouse, logistics) gets an empty list, as on the home page.
    permission_classes = [OrderReadPermission]
    queryset = Order.objects.none()

    def get_queryset(self):
        return plan_list(user=self.request.user)


def register(router) -> None:
    router.register("plan-approvals", PlanFlowViewSet, basename="plan-approval")
    router.register("plans", PlanListViewSet, basename="plan")
