from decimal import Decimal

from rest_framework import serializers

from gendan.core.api.fieldaccess import FieldAccessMixin
from gendan.orders.api.serializers import RejectUnknownFields

from ..choices import ConfirmedVia, Method
from ..models import ProofOfDelivery, Shipment, ShipmentLine

ID = {"min_value": 1, "max_value": 2**63 - 1}
QTY = {"max_digits": 16, "decimal_places": 4, "min_value": Decimal("0"), "max_value": Decimal("999999999")}


class DeliveryShipmentLineSerializer(serializers.ModelSerializer):
    line_no = serializers.IntegerField(source="order_line.line_no", read_only=True)

    class Meta:
        model = ShipmentLine
        fields = ["id", "order_line", "line_no", "quantity", "received", "damaged"]
        read_only_fields = fields


class DeliveryShipmentSerializer(FieldAccessMixin, serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)
    lines = DeliveryShipmentLineSerializer(many=True, read_only=True)
    # Blank until the customer confirmed.
    confirmed_via = serializers.ChoiceField(choices=ConfirmedVia.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Shipment
        fields = [
            "id",
            "number",
            "order",
            "order_number",
            "status",
            "method",
            "address",
            "planned_at",
            "place",
            "notes",
            "confirmed_by_name",
            "confirmed_via",
            "confirmed_at",
            "carrier",
            "tracking_number",
            "vehicle_plate",
            "driver",
            "driver_phone",
            "shipped_at",
            "delivered_at",
            "cancel_reason",
            "created_at",
            "lines",
        ]
        read_only_fields = fields


class DeliveryLineInSerializer(RejectUnknownFields, serializers.Serializer):
    order_line = serializers.IntegerField(**ID)
    quantity = serializers.DecimalField(**QTY)


class DeliveryShipmentCreateSerializer(RejectUnknownFields, serializers.Serializer):
    order = serializers.IntegerField(**ID)
    method = serializers.ChoiceField(choices=Method.choices)
    address = serializers.IntegerField(required=False, allow_null=True, **ID)
    planned_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    lines = DeliveryLineInSerializer(many=True, allow_empty=False, max_length=500)


class DeliveryConfirmSerializer(RejectUnknownFields, serializers.Serializer):
    confirmed_by_name = serializers.CharField(max_length=100)
    confirmed_via = serializers.ChoiceField(choices=ConfirmedVia.choices)
    confirmed_at = serializers.DateTimeField(required=False, allow_null=True)


class DeliveryShipSerializer(RejectUnknownFields, serializers.Serializer):
    carrier = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    vehicle_plate = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    driver = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    driver_phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    shipped_at = serializers.DateTimeField(required=False, allow_null=True)


class DeliveryCancelSerializer(RejectUnknownFields, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class DeliveryProofSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProofOfDelivery
        fields = [
            "id",
            "shipment",
            "original_name",
            "size",
            "signed_by",
            "signed_at",
            "note",
            "issue",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class DeliveryProofCreateSerializer(serializers.Serializer):
    """Multipart: the file, who signed, when; per shipment line `received_<id>` / `damaged_<id>`."""

    shipment = serializers.IntegerField(**ID)
    order = serializers.IntegerField(required=False, **ID)
    file = serializers.FileField()
    signed_by = serializers.CharField(max_length=100)
    signed_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
