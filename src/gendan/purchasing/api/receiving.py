"""Receiving API (R-8.3): goods receipts (list, one, receive against a PO line) with the same
filter set, permissions and service as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from gendan.inventory.models import Warehouse

from ..filters_receiving import ReceiptFilter
from ..models import Receipt, SupplierCase
from ..selectors_receiving import receipt_list, receivable_lines
from ..services.receiving import receipt_create


class ReceiptSerializer(serializers.ModelSerializer):
    po_number = serializers.CharField(source="line.order.number", read_only=True)
    supplier = serializers.IntegerField(source="line.order.supplier_id", read_only=True)
    material = serializers.IntegerField(source="line.material_id", read_only=True)
    material_code = serializers.CharField(source="line.material.code", read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "number",
            "line",
            "po_number",
            "supplier",
            "material",
            "material_code",
            "quantity",
            "warehouse",
            "delivery_note",
            "lot_no",
            "is_replacement",
            "case",
            "status",
            "accepted_qty",
            "rejected_qty",
            "received_by",
            "received_at",
            "inspected_at",
        ]
        read_only_fields = fields


class ReceiveSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = serializers.DecimalField(max_digits=16, decimal_places=4)
    warehouse = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    delivery_note = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    lot_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    case = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)


class ReceiptViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ReceiptSerializer
    filterset_class = ReceiptFilter
    queryset = Receipt.objects.none()
    ordering_fields = ["received_at", "number", "id"]

    def get_queryset(self):
        return receipt_list(user=self.request.user)

    @extend_schema(request=ReceiveSerializer, responses={201: ReceiptSerializer})
    def create(self, request):
        """Receive goods against an open line of a sent or confirmed PO; they wait in inspection."""
        body = ReceiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        line = receivable_lines(user=request.user).filter(pk=data["line"]).first()
        if line is None:
            raise ValidationError({"line": [_("Not an open line of a sent or confirmed purchase order.")]})
        warehouse = None
        if data.get("warehouse"):
            warehouse = Warehouse.objects.filter(pk=data["warehouse"]).first()
            if warehouse is None:
                raise ValidationError({"warehouse": [_("No such warehouse.")]})
        case = None
        if data.get("case"):
            case = SupplierCase.objects.filter(pk=data["case"], receipt__line=line).first()
            if case is None:
                raise ValidationError({"case": [_("Not a supplier case of this purchase order line.")]})
        receipt = receipt_create(
            actor=request.user,
            line=line,
            quantity=data["quantity"],
            warehouse=warehouse,
            delivery_note=data["delivery_note"],
            lot_no=data["lot_no"],
            case=case,
        )
        return Response(
            ReceiptSerializer(receipt_list(user=request.user).get(pk=receipt.pk)).data,
            status=status.HTTP_201_CREATED,
        )


def register(router) -> None:
    router.register("receipts", ReceiptViewSet, basename="receipt")
