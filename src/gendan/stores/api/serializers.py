from decimal import Decimal

from rest_framework import serializers

from gendan.inventory.models import Warehouse
from gendan.masterdata.models import Material
from gendan.orders.api.serializers import RejectUnknownFields

from ..models import FinishedGoodsIn, MaterialIssue

ID = {"min_value": 1, "max_value": 2**63 - 1}
QTY = {
    "max_digits": 16,
    "decimal_places": 4,
    "min_value": Decimal("0.0001"),
    "max_value": Decimal("999999999"),
}


class MaterialIssueSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    material_code = serializers.CharField(source="material.code", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)

    class Meta:
        model = MaterialIssue
        fields = [
            "id",
            "order",
            "order_number",
            "material",
            "material_code",
            "warehouse",
            "warehouse_code",
            "kind",
            "quantity",
            "movement",
            "over_allowed_by",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class IssueLineSerializer(RejectUnknownFields, serializers.Serializer):
    material = serializers.PrimaryKeyRelatedField(queryset=Material.objects.all())
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    quantity = serializers.DecimalField(**QTY)


class IssueCreateSerializer(RejectUnknownFields, serializers.Serializer):
    """An issue to one order, all rows or none; the guards (order status, stock, what the plan
    needs) are the service's and answer 400 naming the row."""

    order = serializers.IntegerField(**ID)
    lines = IssueLineSerializer(many=True, min_length=1, max_length=200)
    allow_over = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReturnCreateSerializer(RejectUnknownFields, serializers.Serializer):
    order = serializers.IntegerField(**ID)
    material = serializers.PrimaryKeyRelatedField(queryset=Material.objects.all())
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    quantity = serializers.DecimalField(**QTY)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FinishedGoodsInSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    product_code = serializers.CharField(source="product.code", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)

    class Meta:
        model = FinishedGoodsIn
        fields = [
            "id",
            "order",
            "order_number",
            "order_line",
            "product",
            "product_code",
            "warehouse",
            "warehouse_code",
            "quantity",
            "movement",
            "created_by",
            "created_at",
            "reversed_at",
            "reversed_by",
            "reverse_reason",
        ]
        read_only_fields = fields


class FinishedGoodsCreateSerializer(RejectUnknownFields, serializers.Serializer):
    order_line = serializers.IntegerField(**ID)
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    quantity = serializers.DecimalField(**QTY)


class StockInReverseSerializer(RejectUnknownFields, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class StockSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField(source="warehouse.pk")
    warehouse_code = serializers.CharField(source="warehouse.code")
    on_hand = serializers.DecimalField(max_digits=16, decimal_places=4)
    suggested = serializers.DecimalField(max_digits=16, decimal_places=4)


class PickRowSerializer(serializers.Serializer):
    material = serializers.IntegerField(source="material.pk")
    material_code = serializers.CharField(source="material.code")
    need_date = serializers.DateField(allow_null=True)
    required = serializers.DecimalField(max_digits=16, decimal_places=4)
    issued = serializers.DecimalField(max_digits=16, decimal_places=4)
    on_hand = serializers.DecimalField(max_digits=16, decimal_places=4)
    to_issue = serializers.DecimalField(max_digits=16, decimal_places=4)
    stock = StockSerializer(many=True)


class PickingListSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order.pk")
    order_number = serializers.CharField(source="order.number")
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)
    rows = PickRowSerializer(many=True)
