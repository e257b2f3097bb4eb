from rest_framework import serializers

from gendan.core.api.viewsets import MasterSerializer

from ..models import StockLevel, StockMovement, Warehouse


class WarehouseSerializer(MasterSerializer):
    class Meta:
        model = Warehouse
        fields = "__all__"
        read_only_fields = MasterSerializer.Meta.read_only_fields


class StockLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockLevel
        fields = ["id", "warehouse", "material", "product", "quantity", "updated_at"]
        read_only_fields = fields


class StockMovementSerializer(serializers.ModelSerializer):
    """Post a movement; the balance, author and time are set by the server."""

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "warehouse",
            "material",
            "product",
            "kind",
            "quantity",
            "balance_after",
            "reference",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "balance_after", "created_by", "created_at"]

    def validate(self, attrs):
        if bool(attrs.get("material")) == bool(attrs.get("product")):
            raise serializers.ValidationError("Give either material or product.")
        return attrs
