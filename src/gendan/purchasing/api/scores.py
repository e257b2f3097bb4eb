"""Supplier scorecards in the API (R-3.4, R-8.3): the ranking of a period and one supplier's
scorecard with the records behind it (`/api/supplier-scorecards/?period=2026-Q1`), and purchasing's
service ratings (`/api/supplier-service-ratings/`). The same readers, rules and rating service as
the pages: unit prices only for the roles that see supplier prices; a bad period is a 400."""

from types import SimpleNamespace

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from gendan.engine.scorecard import PeriodError
from gendan.masterdata.models import Supplier

from .. import scorecard as sc
from ..models import ServiceRating
from ..services.scores import service_rating_save

PERIOD = OpenApiParameter(
    "period", str, description="2026-03 (month), 2026-Q1 (quarter), 2026 (year) or last12 (default)"
)


class SupplierScoreSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(source="supplier.pk")
    supplier_code = serializers.CharField(source="supplier.code")
    supplier_name = serializers.CharField(source="supplier.local_name")
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.DecimalField(source="card.score", max_digits=5, decimal_places=1, allow_null=True)
    flagged = serializers.BooleanField(source="card.flagged", help_text="Below the threshold.")
    enough_records = serializers.BooleanField(source="card.enough")
    lots = serializers.IntegerField(source="card.lots")
    lots_accepted = serializers.IntegerField(source="card.lots_accepted")
    acceptance_pct = serializers.DecimalField(
        source="card.acceptance", max_digits=5, decimal_places=1, allow_null=True
    )
    deliveries = serializers.IntegerField(source="card.deliveries")
    late_deliveries = serializers.IntegerField(source="card.late_deliveries")
    on_time_pct = serializers.DecimalField(
        source="card.on_time", max_digits=5, decimal_places=1, allow_null=True
    )
    price_trend_pct = serializers.DecimalField(
        source="card.price_trend", max_digits=8, decimal_places=1, allow_null=True
    )
    service = serializers.DecimalField(source="card.service", max_digits=3, decimal_places=1, allow_null=True)


class ScoreInspectionSerializer(serializers.Serializer):
    receipt = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    purchase_order = serializers.CharField(source="line.order.number")
    material_code = serializers.CharField(source="line.material.code")
    inspected_at = serializers.DateTimeField()
    accepted = serializers.DecimalField(source="accepted_qty", max_digits=16, decimal_places=4)
    rejected = serializers.DecimalField(source="rejected_qty", max_digits=16, decimal_places=4)


class ScoreDeliverySerializer(serializers.Serializer):
    receipt = serializers.IntegerField(source="receipt.pk")
    number = serializers.CharField(source="receipt.number")
    purchase_order = serializers.CharField(source="receipt.line.order.number")
    material_code = serializers.CharField(source="receipt.line.material.code")
    received = serializers.DateField(source="result.received")
    due = serializers.DateField(source="result.first_due")
    quantity = serializers.DecimalField(source="result.quantity", max_digits=16, decimal_places=4)
    on_time = serializers.DecimalField(source="result.on_time", max_digits=16, decimal_places=4)
    late = serializers.DecimalField(source="result.late", max_digits=16, decimal_places=4)


class ScorePriceTrendSerializer(serializers.Serializer):
    material = serializers.IntegerField(source="material.pk")
    material_code = serializers.CharField(source="material.code")
    quantity = serializers.DecimalField(source="trend.quantity", max_digits=16, decimal_places=4)
    change_pct = serializers.DecimalField(
        source="trend.change_pct", max_digits=8, decimal_places=1, allow_null=True
    )
    # Supplier prices: left out for the roles that may not see them.
    average_price = serializers.DecimalField(
        source="trend.price", max_digits=14, decimal_places=4, required=False
    )
    previous_price = serializers.DecimalField(
        source="trend.previous", max_digits=14, decimal_places=4, allow_null=True, required=False
    )


class ScorePriceLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="pk")
    purchase_order = serializers.CharField(source="order.number")
    material_code = serializers.CharField(source="material.code")
    quantity = serializers.DecimalField(max_digits=16, decimal_places=4)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4)
    made = serializers.DateTimeField(source="order.created_at")


class ScoreRatingSerializer(serializers.Serializer):
    period = serializers.CharField()
    rating = serializers.IntegerField()
    note = serializers.CharField()


class ScorecardDetailSerializer(SupplierScoreSerializer):
    period = serializers.CharField(source="period.key")
    inspected = ScoreInspectionSerializer(many=True, source="detail.inspected")
    delivery_records = ScoreDeliverySerializer(many=True, source="detail.deliveries")
    materials = ScorePriceTrendSerializer(many=True)
    ratings = ScoreRatingSerializer(many=True, source="detail.ratings")
    # Supplier prices: only for the roles that may see them.
    price_lines = ScorePriceLineSerializer(many=True, source="detail.price_lines", required=False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("prices"):
            data.pop("price_lines", None)
            for row in data["materials"]:
                row.pop("average_price", None)
                row.pop("previous_price", None)
        return data


def _period(request):
    try:
        return sc.read_period(request.query_params.get("period"))
    except PeriodError as exc:
        raise ValidationError(
            {"period": ["Give a month (2026-03), a quarter (2026-Q1), a year (2026) or last12."]}
        ) from exc


class SupplierScorecardViewSet(viewsets.GenericViewSet):
    serializer_class = SupplierScoreSerializer
    # The kind of record the role table asks about (view_servicerating: who reads scorecards).
    queryset = ServiceRating.objects.none()
    pagination_class = None
    filter_backends: list = []  # the period is the one parameter

    @extend_schema(parameters=[PERIOD], responses={200: SupplierScoreSerializer(many=True)})
    def list(self, request):
        """Every supplier's scorecard for the period, best first (flagged: below the threshold)."""
        period = _period(request)
        return Response(
            SupplierScoreSerializer(sc.scorecard_list(user=request.user, period=period), many=True).data
        )

    @extend_schema(parameters=[PERIOD], responses={200: ScorecardDetailSerializer})
    def retrieve(self, request, pk=None):
        """One supplier's scorecard (pk: the supplier) with the records behind each figure."""
        period = _period(request)
        if not str(pk).isdigit() or len(str(pk)) > 18:
            raise Http404
        supplier = sc.visible_suppliers(request.user).filter(pk=int(pk)).first()
        if supplier is None:
            raise Http404
        detail = sc.scorecard_detail(supplier=supplier, period=period)
        row = SimpleNamespace(
            supplier=supplier,
            card=detail.card,
            rank=None,
            period=period,
            detail=detail,
            materials=[SimpleNamespace(trend=t, material=m) for t, m in detail.trends],
        )
        prices = sc.shows_prices(request.user)
        return Response(ScorecardDetailSerializer(row, context={"prices": prices}).data)


class ServiceRatingSerializer(serializers.ModelSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = ServiceRating
        fields = ["id", "supplier", "period", "start", "end", "rating", "note", "rated_by", "rated_at"]
        read_only_fields = ["start", "end", "rated_by", "rated_at"]
        # The supplier and the period may be rated once; the service says so in words.
        validators = []


class ServiceRatingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ServiceRatingSerializer
    queryset = ServiceRating.objects.none()
    filterset_fields = ["supplier", "period"]
    ordering_fields = ["start", "id"]

    def get_queryset(self):
        return (
            ServiceRating.objects.restrict(self.request.user, "view")
            .filter(supplier__in=sc.visible_suppliers(self.request.user))
            .order_by("-start", "pk")
        )

    def _save(self, *, supplier_id, period, data, status_code):
        try:
            rating = service_rating_save(
                actor=self.request.user,
                supplier_id=supplier_id,
                period=period,
                rating=data["rating"],
                note=data.get("note", ""),
            )
        except Supplier.DoesNotExist as exc:
            raise ValidationError({"supplier": ["No such supplier."]}) from exc
        return Response(self.get_serializer(rating).data, status=status_code)

    def create(self, request):
        """Rate a supplier's service for a month, quarter or year (again: replaces the rating)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._save(
            supplier_id=data["supplier"].pk,
            period=data["period"],
            data=data,
            status_code=status.HTTP_201_CREATED,
        )

    def update(self, request, pk=None, partial=False):
        """Change the rating or note (the supplier and period stay)."""
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {"rating": obj.rating, "note": obj.note} | serializer.validated_data
        return self._save(
            supplier_id=obj.supplier_id, period=obj.period, data=data, status_code=status.HTTP_200_OK
        )


def register(router) -> None:
    router.register("supplier-scorecards", SupplierScorecardViewSet, basename="supplier-scorecard")
    router.register("supplier-service-ratings", ServiceRatingViewSet, basename="servicerating")
