from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

from gendan.accounts.models import User
from gendan.core.api.fieldaccess import FieldAccessMixin
from gendan.delivery.models import Shipment
from gendan.orders.models import Order, OrderLine

from ..models import Complaint, ComplaintPhoto, Rating
from ..services import NAME_MAX, TEXT_MAX
from ..services_rating import COMMENT_MAX

ID_MAX = 2**63 - 1


class RejectUnknownFields:
    """A misspelt or protected field is an error, not silently dropped (R-8.4)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - {n for n, f in self.fields.items() if not f.read_only})
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is not set here.")] for name in unknown}
                )
        return super().to_internal_value(data)


class ComplaintPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintPhoto
        fields = ["id", "original_name", "size", "uploaded_at"]


class ComplaintSerializer(RejectUnknownFields, FieldAccessMixin, serializers.ModelSerializer):
    order = serializers.PrimaryKeyRelatedField(queryset=Order.objects.none())
    order_line = serializers.PrimaryKeyRelatedField(
        queryset=OrderLine.objects.none(), required=False, allow_null=True
    )
    shipment = serializers.PrimaryKeyRelatedField(
        queryset=Shipment.objects.none(), required=False, allow_null=True
    )
    order_number = serializers.CharField(source="order.number", read_only=True)
    issue_number = serializers.CharField(source="issue.number", read_only=True, default=None)
    description = serializers.CharField(max_length=TEXT_MAX)
    contact_name = serializers.CharField(max_length=NAME_MAX, required=False, allow_blank=True)
    photos = ComplaintPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "order",
            "order_number",
            "order_line",
            "shipment",
            "quantity",
            "description",
            "channel",
            "contact_name",
            "received_on",
            "severity",
            "status",
            "issue",
            "issue_number",
            "root_cause",
            "containment",
            "corrective_action",
            "action_owner",
            "action_due",
            "quality_action",
            "investigated_at",
            "reply",
            "answered_at",
            "closed_at",
            "reopened",
            "photos",
            "created_at",
        ]
        read_only_fields = [
            "number",
            "status",
            "issue",
            "root_cause",
            "containment",
            "corrective_action",
            "action_owner",
            "action_due",
            "quality_action",
            "investigated_at",
            "reply",
            "answered_at",
            "closed_at",
            "reopened",
            "created_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and "order" in self.fields:
            orders = Order.objects.restrict(user, "change")
            self.fields["order"].queryset = orders
            self.fields["order_line"].queryset = OrderLine.objects.filter(order__in=orders.values("pk"))
            self.fields["shipment"].queryset = Shipment.objects.filter(order__in=orders.values("pk"))


class ComplaintFindingsSerializer(serializers.Serializer):
    root_cause = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    containment = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    corrective_action = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    action_owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    action_due = serializers.DateField(required=False, allow_null=True, default=None)
    quality_action = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
    )


class ComplaintReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class ComplaintCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ComplaintReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RatingSerializer(RejectUnknownFields, serializers.ModelSerializer):
    order = serializers.PrimaryKeyRelatedField(queryset=Order.objects.none())
    complaint = serializers.PrimaryKeyRelatedField(
        queryset=Complaint.objects.none(), required=False, allow_null=True
    )
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True, default="")

    class Meta:
        model = Rating
        fields = ["id", "order", "complaint", "score", "comment", "rated_on", "source", "created_at"]
        read_only_fields = ["rated_on", "source", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            self.fields["order"].queryset = Order.objects.restrict(user, "view")
            self.fields["complaint"].queryset = Complaint.objects.restrict(user, "view")
