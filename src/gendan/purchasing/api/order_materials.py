"""The order's materials in the API (the same selector and restriction as the page):
GET /api/order-materials/<order id>/ (404 for an order the user may not see)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gendan.orders.models import Order

from ..models import MaterialRequirement
from ..selectors import order_for_materials, order_material_status


class OnOrderLineSerializer(serializers.Serializer):
    po_number = serializers.CharField(source="line.order.number")
    position = serializers.IntegerField(source="line.position")
    line = serializers.IntegerField(source="line.pk")
    for_order = serializers.DecimalField(max_digits=16, decimal_places=4)
    open_qty = serializers.DecimalField(max_digits=16, decimal_places=4)
    arrives = serializers.DateField()
    late = serializers.BooleanField()


class MaterialStatusSerializer(serializers.Serializer):
    material = serializers.IntegerField(source="material.pk")
    material_code = serializers.CharField(source="material.code")
    material_name = serializers.CharField(source="material.local_name")
    need_date = serializers.DateField(allow_null=True)
    required = serializers.DecimalField(max_digits=16, decimal_places=4)
    available = serializers.DecimalField(max_digits=16, decimal_places=4)
    on_order = serializers.DecimalField(max_digits=16, decimal_places=4)
    late = serializers.DecimalField(max_digits=16, decimal_places=4)
    in_inspection = serializers.DecimalField(max_digits=16, decimal_places=4)
    rejected = serializers.DecimalField(max_digits=16, decimal_places=4)
    short = serializers.DecimalField(max_digits=16, decimal_places=4)
    covered_on = serializers.DateField(allow_null=True)
    checked = serializers.BooleanField()
    lines = OnOrderLineSerializer(many=True)


class OrderMaterialsSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order.pk")
    order_number = serializers.CharField(source="order.number")
    materials = MaterialStatusSerializer(many=True)


class OrderMaterialsViewSet(viewsets.GenericViewSet):
    """Each material an order needs: required, available, on order (PO lines with dates), late, in
    inspection, rejected, short."""

    # The role table asks for the requirements' view permission (as the page does); the order
    # itself is looked up restricted in `retrieve` (404 for one the user may not see).
    queryset = MaterialRequirement.objects.none()
    lookup_value_regex = r"[0-9]{1,9}"
    serializer_class = OrderMaterialsSerializer

    @extend_schema(responses={200: OrderMaterialsSerializer})
    def retrieve(self, request, pk=None):
        try:
            order = order_for_materials(user=request.user, pk=int(pk or 0))
        except (Order.DoesNotExist, ValueError, OverflowError):
            raise NotFound from None
        materials = order_material_status(user=request.user, order=order)
        return Response(self.get_serializer({"order": order, "materials": materials}).data)
