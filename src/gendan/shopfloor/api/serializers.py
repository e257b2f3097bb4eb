from decimal import Decimal

from rest_framework import serializers

from gendan.orders.api.serializers import RejectUnknownFields
from gendan.planning.models import OrderOperation

from ..models import ProductionReport, ScrapReason


class ScrapReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScrapReason
        fields = ["id", "code", "name", "name_en", "is_archived"]
        read_only_fields = ["id", "is_archived"]


class ProductionReportSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="operation.order_id", read_only=True)
    order_number = serializers.CharField(source="operation.order.number", read_only=True)

    class Meta:
        model = ProductionReport
        fields = [
            "id",
            "operation",
            "order",
            "order_number",
            "work_date",
            "shift",
            "work_centre",
            "good_qty",
            "scrap_qty",
            "scrap_reason",
            "hours",
            "people",
            "finished",
            "remarks",
            "channel",
            "reverses",
            "over_allowed_by",
            "reported_by",
            "reported_at",
        ]
        read_only_fields = fields


class ReportCreateSerializer(RejectUnknownFields, serializers.Serializer):
    """What a report is made of; the guards (order status, plan in force, limits) are the
    service's, and answer 400 naming the field."""

    operation = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    work_date = serializers.DateField(required=False)
    good_qty = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal(0), required=False, default=Decimal(0)
    )
    scrap_qty = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal(0), required=False, default=Decimal(0)
    )
    scrap_reason = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal(0), required=False, default=Decimal(0)
    )
    people = serializers.IntegerField(min_value=1, max_value=500, required=False, default=1)
    shift = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    finished = serializers.BooleanField(required=False, default=False)
    remarks = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    allow_over = serializers.BooleanField(required=False, default=False)


class ReverseSerializer(RejectUnknownFields, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class OrderOperationSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = OrderOperation
        fields = [
            "id",
            "order",
            "order_number",
            "order_line",
            "job_key",
            "product",
            "sequence",
            "name",
            "quantity",
            "good_qty",
            "scrap_qty",
            "hours",
            "status",
            "started_at",
            "finished_at",
            "work_centre",
        ]
        read_only_fields = fields
