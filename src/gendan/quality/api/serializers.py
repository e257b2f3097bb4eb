from rest_framework import serializers

from ..choices import InspectionResult
from ..models import (
    DefectCode,
    Inspection,
    InspectionDefect,
    InspectionPhoto,
    InspectionPlan,
    InspectionPlanItem,
    SamplingSetting,
)


class DefectCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DefectCode
        fields = ["id", "code", "name", "name_en", "is_archived"]
        read_only_fields = ["id", "is_archived"]


class SamplingSettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = SamplingSetting
        fields = ["id", "supplier", "material", "level", "aql", "note", "is_archived"]
        read_only_fields = ["id", "is_archived"]


class InspectionDefectSerializer(serializers.ModelSerializer):
    code_code = serializers.CharField(source="code.code", read_only=True)

    class Meta:
        model = InspectionDefect
        fields = ["id", "code", "code_code", "count", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class InspectionPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionPhoto
        fields = ["id", "original_name", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    receipt_number = serializers.CharField(source="receipt.number", read_only=True)
    defects = InspectionDefectSerializer(many=True, read_only=True)
    photos = InspectionPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "receipt",
            "receipt_number",
            "status",
            "supplier",
            "material",
            "lot_size",
            "level",
            "aql",
            "setting_source",
            "severity",
            "code_letter",
            "plan_letter",
            "sample_size",
            "accept_number",
            "reject_number",
            "hundred_percent",
            "nonconforming",
            "verdict",
            "result",
            "override_reason",
            "note",
            "inspector",
            "started_at",
            "completed_at",
            "defects",
            "photos",
        ]
        read_only_fields = fields


class StartSerializer(serializers.Serializer):
    receipt = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class DefectAddSerializer(serializers.Serializer):
    code = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    count = serializers.IntegerField(min_value=1, max_value=10**9)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PhotoAddSerializer(serializers.Serializer):
    photo = serializers.FileField()


class CompleteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=InspectionResult.choices, required=False, allow_blank=True, default=""
    )
    override_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class InspectionPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionPlan
        fields = ["id", "product", "routing_operation", "name", "note", "is_archived"]
        read_only_fields = ["id", "is_archived"]


class InspectionPlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionPlanItem
        fields = [
            "id",
            "plan",
            "sequence",
            "characteristic",
            "kind",
            "nominal",
            "lower_limit",
            "upper_limit",
            "unit",
            "frequency",
            "level",
            "aql",
            "every_n",
            "method",
            "is_archived",
        ]
        read_only_fields = ["id", "is_archived"]
