"""Purchase plans in the API (R-3.2): `/api/purchase-plans/` (list with the page's filter set;
a plan with its lines, their orders and decisions), `draft`, `submit`, `withdraw`, `revise` and
`approve-mine` as actions, and `/api/purchase-plan-lines/<id>/` (PATCH a proposed line of a draft,
`decide`). The same services, rules and refusals as the pages: 403, 404, 409 on a conflict, 400
naming the field; prices only for roles that may see supplier prices."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.core.api.fieldaccess import FieldAccessMixin

from ..choices import Decision, PlanLineStatus, PlanStatus
from ..filters_plans import PurchasePlanFilter
from ..models import PlanLineDecision, PlanLinePeg, PurchasePlan, PurchasePlanLine
from ..selectors_plans import plan_lines, plan_list
from ..services import plans, plans_flow
from ..services.plans import REASON_MAX
from ..suggest import reason_text


class PlanReadPermission(permissions.BasePermission):
    """The role must read purchase plans at all; which ones and what he may do is restrict()'s and
    the services'."""

    def has_permission(self, request, view):
        return PurchasePlan.objects.all().role_allows(request.user, "view")


class PlanPegSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = PlanLinePeg
        fields = ["order", "order_number", "quantity"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    merchandiser_name = serializers.CharField(source="merchandiser.display_name", read_only=True)
    decision = serializers.ChoiceField(choices=Decision.choices, read_only=True)

    class Meta:
        model = PlanLineDecision
        fields = ["id", "merchandiser", "merchandiser_name", "decision", "reason", "decided_at"]
        read_only_fields = fields


class PlanLineSerializer(FieldAccessMixin, serializers.ModelSerializer):
    material_code = serializers.CharField(source="material.code", read_only=True)
    status = serializers.ChoiceField(choices=PlanLineStatus.choices, read_only=True)
    suggestion = serializers.SerializerMethodField()
    pegs = PlanPegSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = PurchasePlanLine
        fields = [
            "id",
            "plan",
            "position",
            "material",
            "material_code",
            "spec",
            "quantity",
            "order_by",
            "need_date",
            "supplier",
            "suggested_supplier",
            "suggestion",
            "unit_price",
            "last_price",
            "status",
            "carried_from",
            "note",
            "pegs",
            "decisions",
        ]
        read_only_fields = fields

    def get_suggestion(self, obj) -> str:
        return reason_text(obj.suggestion_reason)


class PlanLineChangeSerializer(FieldAccessMixin, serializers.ModelSerializer):
    """What purchasing may change of a proposed line (status, plan, pegs never)."""

    class Meta:
        model = PurchasePlanLine
        fields = ["quantity", "supplier", "unit_price", "order_by", "need_date", "spec", "note"]
        extra_kwargs = {name: {"required": False} for name in fields}


class PurchasePlanSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=PlanStatus.choices, read_only=True)
    line_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PurchasePlan
        fields = [
            "id",
            "number",
            "version",
            "previous",
            "status",
            "note",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
            "decided_at",
            "line_count",
        ]
        read_only_fields = fields


class PurchasePlanDetailSerializer(PurchasePlanSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(PurchasePlanSerializer.Meta):
        fields = [*PurchasePlanSerializer.Meta.fields, "lines"]
        read_only_fields = fields

    @extend_schema(responses=PlanLineSerializer(many=True))
    def get_lines(self, obj) -> list:
        request = self.context["request"]
        rows = plan_lines(user=request.user, plan=obj)
        return PlanLineSerializer(rows, many=True, context=self.context).data


class PlanWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class ApprovedCountSerializer(serializers.Serializer):
    approved = serializers.IntegerField()


class PurchasePlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [PlanReadPermission]
    filterset_class = PurchasePlanFilter
    queryset = PurchasePlan.objects.none()
    ordering_fields = ["created_at", "number", "version", "id"]

    def get_queryset(self):
        return plan_list(user=self.request.user)

    def get_serializer_class(self):
        return PurchasePlanDetailSerializer if self.action != "list" else PurchasePlanSerializer

    def _plan(self, pk) -> PurchasePlan:
        return get_object_or_404(PurchasePlan.objects.restrict(self.request.user, "view"), pk=pk)

    def _answer(self, plan_id: int, code=status.HTTP_200_OK) -> Response:
        plan = self.get_queryset().get(pk=plan_id)
        return Response(
            PurchasePlanDetailSerializer(plan, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=None, responses={201: PurchasePlanDetailSerializer})
    @action(detail=False, methods=["post"])
    def draft(self, request):
        """Draft version 1 of a new plan from the requirements in use."""
        plan = plans.plan_draft(actor=request.user)
        return self._answer(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PurchasePlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self._plan(pk)
        plans_flow.plan_submit(actor=request.user, plan_id=plan.pk)
        return self._answer(plan.pk)

    @extend_schema(request=PlanWithdrawSerializer, responses=PurchasePlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        plan = self._plan(pk)
        body = PlanWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plans_flow.plan_withdraw(actor=request.user, plan_id=plan.pk, reason=body.validated_data["reason"])
        return self._answer(plan.pk)

    @extend_schema(request=None, responses={201: PurchasePlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """A new draft version; the answer is the new version."""
        plan = self._plan(pk)
        new = plans_flow.plan_revise(actor=request.user, plan_id=plan.pk)
        return self._answer(new.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ApprovedCountSerializer)
    @action(detail=True, methods=["post"], url_path="approve-mine")
    def approve_mine(self, request, pk=None):
        """Approve every line of the plan waiting for the caller's decision."""
        plan = self._plan(pk)
        if not PlanLineDecision.objects.all().role_allows(request.user, "decide"):
            self.permission_denied(request)
        return Response({"approved": plans_flow.plan_approve_mine(actor=request.user, plan_id=plan.pk)})


class PurchasePlanLineViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [PlanReadPermission]
    serializer_class = PlanLineSerializer
    queryset = PurchasePlanLine.objects.none()
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return (
            PurchasePlanLine.objects.restrict(self.request.user, "view")
            .select_related("material")
            .prefetch_related(
                "decisions__merchandiser",
                Prefetch(
                    "pegs",
                    queryset=PlanLinePeg.objects.restrict(self.request.user, "view").select_related("order"),
                ),
            )
            .order_by("pk")
        )

    def _answer(self, line_id: int) -> Response:
        line = self.get_queryset().get(pk=line_id)
        return Response(PlanLineSerializer(line, context=self.get_serializer_context()).data)

    def retrieve(self, request, pk=None):
        line = get_object_or_404(self.get_queryset(), pk=pk)
        return self._answer(line.pk)

    @extend_schema(request=PlanLineChangeSerializer, responses=PlanLineSerializer)
    def partial_update(self, request, pk=None):
        """Purchasing changes a proposed line of a draft."""
        line = get_object_or_404(self.get_queryset(), pk=pk)
        body = PlanLineChangeSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        unknown = set(request.data) - set(PlanLineChangeSerializer.Meta.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set here.")] for name in sorted(unknown)}
            )
        plans.plan_line_update(actor=request.user, line_id=line.pk, data=dict(body.validated_data))
        return self._answer(line.pk)

    @extend_schema(request=DecideSerializer, responses=PlanLineSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The caller approves or rejects (with a reason) the line for his part."""
        line = get_object_or_404(self.get_queryset(), pk=pk)
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plans_flow.plan_line_decide(
            actor=request.user,
            line=line.pk,
            approve=body.validated_data["approve"],
            reason=body.validated_data["reason"],
        )
        return self._answer(line.pk)


def register(router) -> None:
    router.register("purchase-plans", PurchasePlanViewSet, basename="purchase-plan")
    router.register("purchase-plan-lines", PurchasePlanLineViewSet, basename="purchase-plan-line")
