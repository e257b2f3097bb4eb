"""Purchase orders in the API (R-3.3, R-3.5), with the same services, filter sets and rules as the
pages: `/api/purchase-orders/` (list, read with lines; POST creates drafts from approved plan lines;
`<id>/send|confirm|change|cancel-line|cancel|close/`) and `/api/purchase-order-lines/` (the open
lines with their flags). 403 for a role that may not, 404 for a record one may not see, 409 on a
workflow conflict, 400 naming the field. Prices only for roles that may see supplier prices."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from gendan.core.api.fieldaccess import FieldAccessMixin

from ..filters_po import OpenLineFilter, POFilter
from ..models import POLineChange, POLineConfirmation, PurchaseOrder, PurchaseOrderLine
from ..selectors_po import open_line_list, po_detail, po_list
from ..services import po as services
from ..services.po_common import REASON_MAX


class POConfirmationReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = POLineConfirmation
        fields = ["id", "quantity", "promised_date", "confirmed_by", "note", "recorded_at"]
        read_only_fields = fields


class POChangeReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = POLineChange
        fields = ["id", "kind", "old_value", "new_value", "reason", "changed_at"]
        read_only_fields = fields


class POLineSerializer(FieldAccessMixin, serializers.ModelSerializer):
    po_number = serializers.CharField(source="order.number", read_only=True)
    material_code = serializers.CharField(source="material.code", read_only=True)
    confirmed_qty = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True)
    open_quantity = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    is_at_risk = serializers.BooleanField(read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "order",
            "po_number",
            "position",
            "material",
            "material_code",
            "spec",
            "quantity",
            "unit_price",
            "delivery_date",
            "expected_date",
            "status",
            "received_qty",
            "confirmed_qty",
            "open_quantity",
            "is_late",
            "is_at_risk",
        ]
        read_only_fields = fields


class POLineDetailSerializer(POLineSerializer):
    confirmations = POConfirmationReadSerializer(many=True, read_only=True)
    changes = POChangeReadSerializer(many=True, read_only=True)

    class Meta(POLineSerializer.Meta):
        fields = [*POLineSerializer.Meta.fields, "confirmations", "changes"]
        read_only_fields = fields


class POSerializer(serializers.ModelSerializer):
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "supplier",
            "supplier_code",
            "status",
            "warehouse",
            "currency",
            "quality_requirements",
            "packaging_requirements",
            "note",
            "language",
            "created_at",
            "sent_at",
            "sent_to",
            "closed_at",
        ]
        read_only_fields = fields


class PODetailSerializer(POSerializer):
    lines = POLineDetailSerializer(many=True, read_only=True)

    class Meta(POSerializer.Meta):
        fields = [*POSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class POCreateSerializer(serializers.Serializer):
    plan_line_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1, max_length=500
    )


class POSendSerializer(serializers.Serializer):
    by_hand = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class POLineRefSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class POConfirmSerializer(POLineRefSerializer):
    quantity = serializers.DecimalField(max_digits=16, decimal_places=4)
    promised_date = serializers.DateField()
    confirmed_by = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class POChangeSerializer(POLineRefSerializer):
    quantity = serializers.DecimalField(
        max_digits=16, decimal_places=4, required=False, allow_null=True, default=None
    )
    delivery_date = serializers.DateField(required=False, allow_null=True, default=None)
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(max_length=REASON_MAX)


class POLineReasonSerializer(POLineRefSerializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class POReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class POPermission(permissions.BasePermission):
    """The role must read POs at all; each action asks the role table for its own permission."""

    ACTIONS = {"create": "add", "send": "send", "confirm": "confirm"}

    def has_permission(self, request, view):
        records = PurchaseOrder.objects.all()
        if not records.role_allows(request.user, "view"):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return records.role_allows(request.user, self.ACTIONS.get(view.action, "change"))


class PurchaseOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = POSerializer
    permission_classes = [POPermission]
    filterset_class = POFilter
    queryset = PurchaseOrder.objects.none()
    ordering_fields = ["number", "created_at", "sent_at", "id"]

    def get_queryset(self):
        return po_list(user=self.request.user)

    def get_serializer_class(self):
        return POSerializer if self.action == "list" else PODetailSerializer

    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    def _detail(self, pk) -> dict:
        try:
            po = po_detail(user=self.request.user, pk=int(pk))
        except (PurchaseOrder.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        return PODetailSerializer(po, context=self.get_serializer_context()).data

    @extend_schema(request=POCreateSerializer, responses={201: POSerializer(many=True)})
    def create(self, request):
        """Draft one PO per supplier from approved plan lines."""
        body = POCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = services.po_create_from_plan_lines(
            actor=request.user, line_ids=body.validated_data["plan_line_ids"]
        )
        return Response(POSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    def _po(self, pk) -> PurchaseOrder:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def _line(self, po, line_id) -> PurchaseOrderLine:
        line = PurchaseOrderLine.objects.filter(order=po, pk=line_id).first()
        if line is None:
            raise ValidationError({"line": [_("This purchase order has no such line.")]})
        return line

    @extend_schema(request=POSendSerializer, responses=PODetailSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        po = self._po(pk)
        body = POSendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.po_send(actor=request.user, po=po, **body.validated_data)
        return Response(self._detail(po.pk))

    @extend_schema(request=POConfirmSerializer, responses=PODetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        po = self._po(pk)
        body = POConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        line = self._line(po, data.pop("line"))
        services.po_line_confirm(actor=request.user, line=line.pk, **data)
        return Response(self._detail(po.pk))

    @extend_schema(request=POChangeSerializer, responses=PODetailSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        po = self._po(pk)
        hidden = POLineSerializer(context=self.get_serializer_context()).hidden_fields()
        if "unit_price" in hidden and "unit_price" in request.data:
            raise PermissionDenied(_("Your role may not set the unit price."))
        body = POChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        line = self._line(po, data.pop("line"))
        services.po_line_change(actor=request.user, line=line.pk, **data)
        return Response(self._detail(po.pk))

    @extend_schema(request=POLineReasonSerializer, responses=PODetailSerializer)
    @action(detail=True, methods=["post"], url_path="cancel-line")
    def cancel_line(self, request, pk=None):
        po = self._po(pk)
        body = POLineReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        line = self._line(po, body.validated_data["line"])
        services.po_line_cancel(actor=request.user, line=line.pk, reason=body.validated_data["reason"])
        return Response(self._detail(po.pk))

    @extend_schema(request=POReasonSerializer, responses=PODetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        po = self._po(pk)
        body = POReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.po_cancel(actor=request.user, po=po.pk, reason=body.validated_data["reason"])
        return Response(self._detail(po.pk))

    @extend_schema(request=POReasonSerializer, responses=PODetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        po = self._po(pk)
        body = POReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.po_close(actor=request.user, po=po.pk, reason=body.validated_data["reason"])
        return Response(self._detail(po.pk))


class OpenLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The open PO lines with their confirmed and open quantities, late and at-risk flags."""

    serializer_class = POLineSerializer
    filterset_class = OpenLineFilter
    queryset = PurchaseOrderLine.objects.none()
    ordering_fields = ["delivery_date", "expected_date", "id"]

    def get_queryset(self):
        return open_line_list(user=self.request.user)


def register(router) -> None:
    router.register("purchase-orders", PurchaseOrderViewSet, basename="purchaseorder")
    router.register("purchase-order-lines", OpenLineViewSet, basename="purchaseorderline")
