"""The warehouse's API (R-8.3), with the pages' rules: an order's picking list (read), material
issues and returns (list, create), finished goods in (list, create)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..filters import FinishedFilter, IssueFilter
from ..models import FinishedGoodsIn, MaterialIssue
from ..selectors import finished_list, issue_list, order_for, picking_list
from . import serializers as s


class PickingListViewSet(viewsets.GenericViewSet):
    """An order's picking list, by the order's id: per material required, issued, on hand per
    warehouse and what to issue now."""

    serializer_class = s.PickingListSerializer
    queryset = MaterialIssue.objects.none()  # the role table: who may read issues reads picking lists
    lookup_value_regex = r"[0-9]{1,18}"
    pagination_class = None
    filter_backends: list = []

    def retrieve(self, request, pk=None):
        order = order_for(user=request.user, pk=int(pk))
        if order is None:
            raise Http404
        return Response(self.get_serializer(picking_list(user=request.user, order=order)).data)


class MaterialIssueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.MaterialIssueSerializer
    filterset_class = IssueFilter
    queryset = MaterialIssue.objects.none()
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return issue_list(user=self.request.user)

    @extend_schema(request=s.IssueCreateSerializer, responses={201: s.MaterialIssueSerializer(many=True)})
    def create(self, request):
        body = s.IssueCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        issues = services.material_issue(
            actor=request.user,
            order=data["order"],
            lines=[(line["material"], line["warehouse"], line["quantity"]) for line in data["lines"]],
            allow_over=data["allow_over"],
            note=data["note"],
        )
        found = issue_list(user=request.user).filter(pk__in=[i.pk for i in issues]).order_by("pk")
        return Response(self.get_serializer(found, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReturnCreateSerializer, responses={201: s.MaterialIssueSerializer})
    @action(detail=False, methods=["post"], url_path="return")
    def return_(self, request):
        """Take unused material back from an order into stock (its own movement)."""
        body = s.ReturnCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        issue = services.material_return(
            actor=request.user,
            order=data["order"],
            material=data["material"],
            warehouse=data["warehouse"],
            quantity=data["quantity"],
            note=data["note"],
        )
        issue = issue_list(user=request.user).get(pk=issue.pk)
        return Response(self.get_serializer(issue).data, status=status.HTTP_201_CREATED)


class FinishedGoodsInViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.FinishedGoodsInSerializer
    filterset_class = FinishedFilter
    queryset = FinishedGoodsIn.objects.none()
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return finished_list(user=self.request.user)

    @extend_schema(request=s.FinishedGoodsCreateSerializer, responses={201: s.FinishedGoodsInSerializer})
    def create(self, request):
        body = s.FinishedGoodsCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = services.finished_goods_in(
            actor=request.user,
            order_line=data["order_line"],
            warehouse=data["warehouse"],
            quantity=data["quantity"],
        )
        record = finished_list(user=request.user).get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.StockInReverseSerializer, responses={200: s.FinishedGoodsInSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Reverse a stock-in booked by mistake (the goods leave the stock again)."""
        record = self.get_object()
        body = s.StockInReverseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.finished_goods_reverse(
            actor=request.user, record_id=record.pk, reason=body.validated_data["reason"]
        )
        return Response(self.get_serializer(finished_list(user=request.user).get(pk=record.pk)).data)


def register(router) -> None:
    router.register("picking-lists", PickingListViewSet, basename="pickinglist")
    router.register("material-issues", MaterialIssueViewSet, basename="materialissue")
    router.register("finished-goods-in", FinishedGoodsInViewSet, basename="finishedgoodsin")
