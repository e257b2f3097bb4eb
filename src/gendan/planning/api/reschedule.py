"""/api/reschedule-proposals/: reschedule all open orders (R-2.3). Planners create, accept and
discard; whoever reads plans reads the proposals."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import PlanVersion, ScheduleProposal
from ..services.reschedule import MAX_SECONDS, MIN_SECONDS, proposal_create, proposal_discard
from ..services.reschedule_accept import MAX_ORDERS, proposal_accept


class ProposalPermission(permissions.BasePermission):
    """The role must read plans; creating, accepting and discarding are checked by the services."""

    def has_permission(self, request, view):
        return ScheduleProposal.objects.all().role_allows(request.user, "view")


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleProposal
        fields = [
            "id",
            "status",
            "progress",
            "message",
            "seconds",
            "created_by",
            "created_at",
            "finished_at",
            "decided_by",
            "decided_at",
            "summary",
        ]
        read_only_fields = fields


class ProposalDetailSerializer(ProposalSerializer):
    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "result"]
        read_only_fields = fields


class ProposalCreateSerializer(serializers.Serializer):
    seconds = serializers.IntegerField(min_value=MIN_SECONDS, max_value=MAX_SECONDS, default=60)


class AcceptSerializer(serializers.Serializer):
    orders = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=MAX_ORDERS
    )


class AcceptedVersionSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="plan.order_id", read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["id", "order", "number", "status", "planned_start", "planned_finish"]
        read_only_fields = fields


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ProposalPermission]
    queryset = ScheduleProposal.objects.none()

    def get_queryset(self):
        return ScheduleProposal.objects.restrict(self.request.user, "view").order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return ProposalDetailSerializer if self.action == "retrieve" else ProposalSerializer

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalDetailSerializer})
    def create(self, request):
        """Start a reschedule of all open orders (the worker runs it; poll the proposal)."""
        data = ProposalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = proposal_create(actor=request.user, seconds=data.validated_data["seconds"])
        return Response(ProposalDetailSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AcceptSerializer, responses={200: AcceptedVersionSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the proposal for these orders: a new plan version each, in force at once when it
        finishes no later than the one in force, else submitted to the order's merchandiser."""
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        versions = proposal_accept(
            actor=request.user, proposal_id=proposal.pk, order_ids=data.validated_data["orders"]
        )
        return Response(AcceptedVersionSerializer(versions, many=True).data)

    @extend_schema(request=None, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        proposal = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            ProposalSerializer(proposal_discard(actor=request.user, proposal_id=proposal.pk)).data
        )


def register(router) -> None:
    from .ctp import CtpViewSet

    router.register("ctp", CtpViewSet, basename="ctp")
    router.register("reschedule-proposals", ProposalViewSet, basename="scheduleproposal")
