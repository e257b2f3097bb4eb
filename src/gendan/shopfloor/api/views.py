"""Shop-floor API (R-8.3): daily reports (list, filter, create with the page's guards, reverse),
the order operations' progress, and the scrap reasons' master list."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.core.api.params import id_param
from gendan.core.api.viewsets import MasterRecordViewSet
from gendan.planning.models import OrderOperation

from .. import services
from .. import views as pages
from ..choices import ReportChannel
from ..filters import ReportFilter
from ..models import ProductionReport
from ..selectors import operation_list, report_list
from . import serializers as s


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ProductionReportSerializer
    filterset_class = ReportFilter
    queryset = ProductionReport.objects.none()
    ordering_fields = ["work_date", "reported_at", "id"]

    def get_queryset(self):
        return report_list(user=self.request.user)

    @extend_schema(request=s.ReportCreateSerializer, responses={201: s.ProductionReportSerializer})
    def create(self, request):
        body = s.ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        report = services.report_create(
            actor=request.user,
            channel=ReportChannel.API,
            operation_id=data.pop("operation"),
            scrap_reason_id=data.pop("scrap_reason", None),
            shift_id=data.pop("shift", None),
            **data,
        )
        report = report_list(user=request.user).get(pk=report.pk)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReverseSerializer, responses={201: s.ProductionReportSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Reverse a wrong report: a new report of the opposite quantities (never an edit)."""
        found = self.get_object()
        body = s.ReverseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.report_reverse(
            actor=request.user, report_id=found.pk, reason=body.validated_data["reason"]
        )
        reversal = report_list(user=request.user).get(pk=reversal.pk)
        return Response(self.get_serializer(reversal).data, status=status.HTTP_201_CREATED)


class OperationPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return OrderOperation.objects.all().role_allows(request.user, "view")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("order", int, description="only this order's operations (its id)")]
    )
)
class OrderOperationViewSet(viewsets.ReadOnlyModelViewSet):
    """Progress per operation: quantity to make, good, scrap, hours, status."""

    serializer_class = s.OrderOperationSerializer
    permission_classes = [OperationPermission]
    queryset = OrderOperation.objects.none()
    ordering_fields = ["id", "sequence"]

    def get_queryset(self):
        qs = operation_list(user=self.request.user).select_related("order").order_by("pk")
        order = id_param(self.request, "order")
        return qs if order is None else qs.filter(order_id=order)


ScrapReasonViewSet = type(
    "ScrapReasonViewSet",
    (MasterRecordViewSet,),
    {
        "entity": pages.scrap_reasons,
        "serializer_class": s.ScrapReasonSerializer,
        "queryset": pages.scrap_reasons.model.objects.none(),
    },
)


def register(router) -> None:
    router.register("production-reports", ReportViewSet, basename="productionreport")
    router.register("order-operations", OrderOperationViewSet, basename="orderoperation")
    router.register("scrap-reasons", ScrapReasonViewSet, basename="scrapreason")
