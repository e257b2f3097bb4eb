"""Order API (R-8.3): the same selectors, services and rules as the pages. Workflow steps are
POST actions; an API call cannot skip review or set a status directly."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.core.api.params import id_param
from gendan.core.api.viewsets import AuditEntrySerializer
from gendan.core.fieldaccess import redact_entries

from .. import services
from ..filters import OrderFilter
from ..models import Acknowledgement, ChangeRequest, Clarification, Finding, Order, OrderLine
from ..selectors import order_list, order_timeline
from . import serializers as s


class OrderPermission(permissions.BasePermission):
    """The role must see orders at all; which orders, and what he may do to each, is decided by
    Order.objects.restrict (the querysets below) and by the services (core.permissions)."""

    def has_permission(self, request, view):
        return Order.objects.all().role_allows(request.user, "view")


class OrderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.OrderSerializer
    filterset_class = OrderFilter
    permission_classes = [OrderPermission]
    queryset = Order.objects.none()

    def get_queryset(self):
        return order_list(user=self.request.user).prefetch_related("lines").order_by("-created_at", "-pk")

    def _split(self, serializer):
        data = dict(serializer.validated_data)
        lines = [dict(line) for line in data.pop("lines", [])]
        for number, line in enumerate(lines, start=1):
            line.setdefault("line_no", number)
        return data, lines

    def perform_create(self, serializer):
        data, lines = self._split(serializer)
        serializer.instance = services.order_create(actor=self.request.user, data=data, lines=lines)

    def perform_update(self, serializer):
        order = serializer.instance
        data, lines = self._split(serializer)
        data.setdefault("customer", order.customer)
        serializer.instance = services.order_update(
            actor=self.request.user,
            order_id=order.pk,
            data=data,
            lines=lines if "lines" in self.request.data else None,
        )

    def _step(self, request, pk, func, **kwargs):
        """A workflow step on an order the user may see (404 otherwise): the service decides."""
        order = get_object_or_404(self.get_queryset(), pk=pk)
        result = func(actor=request.user, order_id=order.pk, **kwargs)
        if getattr(result, "change", None) is not None:
            # After release the step became a change request, applied once approved.
            return Response(s.ChangeRequestSerializer(result.change).data, status=status.HTTP_202_ACCEPTED)
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft to review (the checks run)."""
        return self._step(request, pk, services.order_submit)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="run-review")
    def run_review(self, request, pk=None):
        return self._step(request, pk, services.order_run_review)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="mark-reviewed")
    def mark_reviewed(self, request, pk=None):
        """Refused (400) while findings are open."""
        return self._step(request, pk, services.order_mark_reviewed)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._step(request, pk, services.order_release)

    @extend_schema(request=s.AdvanceSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        body = s.AdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(request, pk, services.order_advance, expected=body.validated_data["expected"])

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """After release (also while held after release) this records a change request (202)."""
        return self._step(request, pk, services.order_hold, reason=self._reason(request))

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """After release (also while held after release) this records a change request (202)."""
        return self._step(request, pk, services.order_cancel, reason=self._reason(request))

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """An order held after release resumes through a change request (202), as on the page."""
        return self._step(request, pk, services.order_resume, reason=str(request.data.get("reason", "")))

    def _reason(self, request) -> str:
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["reason"]

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # an order's whole story, one list
    def timeline(self, request, pk=None):
        order = self.get_object()
        entries = redact_entries(request.user, order_timeline(order=order))
        return Response(AuditEntrySerializer(entries, many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("order", int, description="only the parts of this order (its id)")]
    )
)
class _OrderChildViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [OrderPermission]
    model = None
    id_kwarg = ""  # how the services name this object, e.g. "finding_id"

    def _step(self, request, body_class, service):
        """One workflow step on a part of an order the user may see (404 otherwise): body
        validated, the service called with the body's fields (it decides who may), the object
        returned as it is now."""
        obj = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        result = service(actor=request.user, **{self.id_kwarg: obj.pk}, **body.validated_data)
        return Response(self.get_serializer(result).data)

    def get_queryset(self):
        qs = self.model.objects.restrict(self.request.user, "view").order_by("pk")
        order = id_param(self.request, "order")
        return qs if order is None else qs.filter(order_id=order)


class OrderLineViewSet(_OrderChildViewSet):
    serializer_class = s.OrderLineSerializer
    model = OrderLine
    queryset = OrderLine.objects.none()


class FindingViewSet(_OrderChildViewSet):
    serializer_class = s.FindingSerializer
    model = Finding
    id_kwarg = "finding_id"
    queryset = Finding.objects.none()

    @extend_schema(request=s.ResolveSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._step(request, s.ResolveSerializer, services.finding_resolve)


class ClarificationViewSet(mixins.CreateModelMixin, _OrderChildViewSet):
    serializer_class = s.ClarificationSerializer
    model = Clarification
    id_kwarg = "clarification_id"
    queryset = Clarification.objects.none()

    def perform_create(self, serializer):
        data = serializer.validated_data
        order = get_object_or_404(Order.objects.restrict(self.request.user, "view"), pk=data["order"].pk)
        serializer.instance = services.clarification_ask(
            actor=self.request.user,
            order_id=order.pk,
            finding_ids=[f.pk for f in data.get("findings", [])],
            question=data["question"],
            channel=data.get("channel", "email"),
            contact=data.get("contact", ""),
        )

    @extend_schema(request=s.AnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(request, s.AnswerSerializer, services.clarification_answer)


class AcknowledgementViewSet(_OrderChildViewSet):
    serializer_class = s.AcknowledgementSerializer
    model = Acknowledgement
    queryset = Acknowledgement.objects.none()

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        ack = self.get_object()
        ack = services.acknowledgement_confirm(actor=request.user, ack_id=ack.pk)
        return Response(self.get_serializer(ack).data)


class ChangeRequestViewSet(mixins.CreateModelMixin, _OrderChildViewSet):
    serializer_class = s.ChangeRequestSerializer
    model = ChangeRequest
    id_kwarg = "change_id"
    queryset = ChangeRequest.objects.none()

    def perform_create(self, serializer):
        data = serializer.validated_data
        order = get_object_or_404(Order.objects.restrict(self.request.user, "view"), pk=data["order"].pk)
        line = data.get("line")
        serializer.instance = services.change_request_create(
            actor=self.request.user,
            order_id=order.pk,
            kind=data["kind"],
            line_id=line.pk if line else None,
            new_value=data.get("new_value", ""),
            reason=data["reason"],
            customer_reference=data.get("customer_reference", ""),
        )

    @extend_schema(request=s.NoteSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, s.NoteSerializer, services.change_request_approve)

    @extend_schema(request=s.NoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, s.NoteSerializer, services.change_request_reject)


def register(router) -> None:
    router.register("orders", OrderViewSet, basename="order")
    router.register("order-lines", OrderLineViewSet, basename="orderline")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("clarifications", ClarificationViewSet, basename="clarification")
    router.register("acknowledgements", AcknowledgementViewSet, basename="acknowledgement")
    router.register("change-requests", ChangeRequestViewSet, basename="changerequest")
