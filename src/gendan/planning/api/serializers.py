"""Plan versions with their planned operations and materials, and the bodies of the POST actions.
Status, approver and warnings are read-only: they change only through the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..messages import late_reason_text, warning_details, warning_text
from ..models import PlanMaterial, PlannedOperation, PlanVersion
from ..services.adjust import MAX_PARTS
from ..services.build import MAX_ORDERS

ID_MAX = 2**63 - 1


class PlannedOperationSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="operation.order_id", read_only=True)
    order_line = serializers.IntegerField(source="operation.order_line_id", read_only=True)
    job = serializers.CharField(source="operation.job_key", read_only=True)
    sequence = serializers.IntegerField(source="operation.sequence", read_only=True)
    name = serializers.CharField(source="operation.name", read_only=True)
    work_centre_code = serializers.CharField(source="work_centre.code", read_only=True)

    class Meta:
        model = PlannedOperation
        fields = [
            "id",
            "version",
            "operation",
            "order",
            "order_line",
            "job",
            "sequence",
            "name",
            "part",
            "quantity",
            "work_centre",
            "work_centre_code",
            "machine",
            "start",
            "end",
            "setup_minutes",
            "run_minutes",
            "people",
            "pinned_work_centre",
            "pinned_start",
            "frozen",
        ]
        read_only_fields = fields


class PlanMaterialSerializer(serializers.ModelSerializer):
    material_code = serializers.CharField(source="material.code", read_only=True)

    class Meta:
        model = PlanMaterial
        fields = [
            "id",
            "order_line",
            "material",
            "material_code",
            "quantity",
            "need_date",
            "on_hand",
            "allocated",
            "on_order",
            "shortage",
            "covered_on",
        ]
        read_only_fields = fields


class WarningSerializer(serializers.Serializer):
    kind = serializers.CharField()
    key = serializers.CharField()
    text = serializers.CharField()
    details = serializers.ListField(child=serializers.CharField())
    params = serializers.DictField()
    acknowledged_by = serializers.IntegerField(allow_null=True)
    acknowledged_at = serializers.CharField(allow_null=True)


class PlanVersionSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="plan.order_id", read_only=True)
    order_number = serializers.CharField(source="plan.order.number", read_only=True)
    warnings = serializers.SerializerMethodField()
    late_reason_text = serializers.SerializerMethodField()
    operations = PlannedOperationSerializer(many=True, read_only=True)
    materials = PlanMaterialSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "order",
            "order_number",
            "number",
            "status",
            "source",
            "planned_start",
            "planned_finish",
            "tardiness_minutes",
            "late_reason",
            "late_reason_text",
            "warnings",
            "checked_at",
            "created_by",
            "created_at",
            "submitted_at",
            "decided_at",
            "reason",
            "operations",
            "materials",
        ]
        read_only_fields = fields

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, obj):
        return [
            {
                "kind": w.get("kind", ""),
                "key": w.get("key", ""),
                "text": warning_text(w),
                "details": warning_details(w),
                "params": w.get("params") or {},
                "acknowledged_by": w.get("acknowledged_by"),
                "acknowledged_at": w.get("acknowledged_at"),
            }
            for w in obj.warnings or []
        ]

    @extend_schema_field(serializers.CharField())
    def get_late_reason_text(self, obj) -> str:
        return late_reason_text(obj.late_reason)


class BuildSerializer(serializers.Serializer):
    orders = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), min_length=1, max_length=MAX_ORDERS
    )


class PinSerializer(serializers.Serializer):
    work_centre = serializers.IntegerField(min_value=1, max_value=ID_MAX, required=False, allow_null=True)
    start = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, attrs):
        if not attrs.get("work_centre") and not attrs.get("start"):
            raise serializers.ValidationError(_("Choose a work centre or a start time to pin."))
        return attrs


class SplitSerializer(serializers.Serializer):
    quantities = serializers.ListField(
        child=serializers.DecimalField(max_digits=14, decimal_places=4, min_value=0),
        min_length=1,
        max_length=MAX_PARTS,
    )


class AcknowledgeSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, max_value=1000)
