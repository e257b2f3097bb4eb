"""GET /api/delivery-risk/: the delivery risk of the open orders the reader may see (the same
restriction as /api/orders/: another merchandiser's order is not listed, and is a 404), gravest
first, filtered by `level`; `/api/delivery-risk/<order id>/` is one order's. A bad level is a 400
naming the field."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ..choices import Level
from ..selectors import open_orders, risk_page, risk_rows
from ..wording import reason_text


class MayViewOrders(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("orders.view_order"))


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A reason code of gendan.engine.delivery_risk.REASON_CODES")
    params = serializers.DictField(help_text="Its parameters (line, material, number, severity, days)")
    text = serializers.CharField(help_text="The reason in the reader's language")


class RiskSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order_id")
    number = serializers.CharField()
    customer = serializers.CharField(allow_blank=True)
    merchandiser = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    level_label = serializers.CharField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    slack_days = serializers.IntegerField(allow_null=True, help_text="Negative: late by that many days")
    expected_finish = serializers.DateField(allow_null=True)
    delivery_date = serializers.DateField(allow_null=True)
    reasons = serializers.SerializerMethodField()

    @extend_schema(responses=ReasonSerializer(many=True))
    def get_reasons(self, row) -> list[dict]:
        return [{"code": c, "params": p, "text": reason_text(c, p)} for c, p in row.reasons]


class LevelFilter(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)


class PageForm(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=100000, required=False)


class DeliveryRiskViewSet(viewsets.ViewSet):
    permission_classes = [MayViewOrders]
    pagination_class = PageNumberPagination  # the schema's paged list; the page is cut in the database
    lookup_value_regex = r"[0-9]+"

    @extend_schema(
        parameters=[OpenApiParameter("level", str, enum=list(Level.values)), OpenApiParameter("page", int)],
        responses=RiskSerializer(many=True),
    )
    def list(self, request):
        """Open orders by delivery risk, gravest first."""
        f = LevelFilter(data=request.query_params)
        if not f.is_valid():
            raise ValidationError(f.errors)
        p = PageForm(data=request.query_params)
        if not p.is_valid():
            raise ValidationError(p.errors)
        number = p.validated_data.get("page", 1)
        size = api_settings.PAGE_SIZE
        page = risk_page(
            open_orders(user=request.user),
            level=f.validated_data.get("level"),
            start=(number - 1) * size,
            stop=number * size,
        )
        if number > 1 and not page.rows:
            raise NotFound(_("Invalid page."))
        url = request.build_absolute_uri()
        return Response(
            {
                "count": page.total,
                "next": replace_query_param(url, "page", number + 1) if number * size < page.total else None,
                "previous": (
                    remove_query_param(url, "page")
                    if number == 2
                    else replace_query_param(url, "page", number - 1)
                )
                if number > 1
                else None,
                "results": RiskSerializer(page.rows, many=True).data,
            }
        )

    @extend_schema(responses=RiskSerializer)
    def retrieve(self, request, pk=None):
        """One open order's delivery risk (404: not open, or not one the reader may see)."""
        rows = risk_rows(open_orders(user=request.user).filter(pk=int(pk)))
        if not rows:
            raise Http404
        return Response(RiskSerializer(rows[0]).data)


def register(router) -> None:
    router.register("delivery-risk", DeliveryRiskViewSet, basename="delivery-risk")
