"""POST /api/ctp/: can we deliver? (R-2.3), for merchandisers, planners and management."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from gendan.masterdata.models import Product
from gendan.orders.choices import Priority

from ..services.ctp import MAX_ITEMS, MAX_QUANTITY, CtpItem, ctp_allowed, ctp_ask


class CtpPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return ctp_allowed(request.user)


class CtpItemSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_archived=False))
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal("0.0001"), max_value=MAX_QUANTITY
    )


class CtpRequestSerializer(serializers.Serializer):
    items = CtpItemSerializer(many=True, min_length=1, max_length=MAX_ITEMS)
    date = serializers.DateField()
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)


class ImpactSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order_id")
    number = serializers.CharField()
    customer = serializers.CharField()
    delivery_date = serializers.DateField(allow_null=True)
    days_later = serializers.IntegerField()


class CtpAnswerSerializer(serializers.Serializer):
    requested = serializers.DateField()
    possible = serializers.BooleanField(help_text="By the date when squeezed in first.")
    without_delaying_others = serializers.BooleanField(help_text="By the date in the free capacity only.")
    earliest = serializers.DateField(help_text="Earliest date when squeezed in first.")
    earliest_free = serializers.DateField(help_text="Earliest date without moving any other order.")
    promise_date = serializers.DateField()
    bottleneck_kind = serializers.CharField(
        source="limit", help_text="work_centre, material, materials, chain or empty"
    )
    bottleneck = serializers.CharField(source="limit_text")
    impacts = ImpactSerializer(many=True)
    seconds = serializers.FloatField()


class CtpViewSet(viewsets.ViewSet):
    permission_classes = [CtpPermission]
    # The kind of record the question is about (the whole-site probes read it); nothing is listed.
    queryset = Product.objects.none()

    @extend_schema(request=CtpRequestSerializer, responses={200: CtpAnswerSerializer})
    def create(self, request):
        """Ask whether the factory can make these products by the date."""
        question = CtpRequestSerializer(data=request.data)
        question.is_valid(raise_exception=True)
        data = question.validated_data
        answer = ctp_ask(
            user=request.user,
            items=[CtpItem(product=i["product"], quantity=i["quantity"]) for i in data["items"]],
            requested=data["date"],
            priority=data["priority"],
        )
        return Response(CtpAnswerSerializer(answer).data)
