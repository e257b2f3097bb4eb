from rest_framework import serializers

from ..models import MaterialRequirement, RequirementPeg, RequirementRun


class PegSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = RequirementPeg
        fields = ["order", "order_number", "order_line", "version", "quantity"]
        read_only_fields = fields


class MaterialRequirementSerializer(serializers.ModelSerializer):
    material_code = serializers.CharField(source="material.code", read_only=True)
    pegs = PegSerializer(many=True, read_only=True)

    class Meta:
        model = MaterialRequirement
        fields = [
            "id",
            "run",
            "material",
            "material_code",
            "need_date",
            "gross",
            "from_stock",
            "on_order",
            "net",
            "to_buy",
            "order_by",
            "late",
            "unplanned",
            "pegs",
        ]
        read_only_fields = fields


class RequirementRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequirementRun
        fields = [
            "id",
            "status",
            "trigger",
            "progress",
            "summary",
            "message",
            "created_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields
