"""GET /api/quality-records/: the quality records' figures (R-4.2) as JSON, for the same readers as
the page (quality and management; others 403) and with the same filters (product, supplier,
work_centre, period = this_month | last_month | quarter | custom with start and end; a bad value
is a 400 naming the field; characteristic and subgroup choose the X̄-R chart as on the page).
Shares are fractions 0–1; the scrap value is left out (null) for a reader who may not see order
prices. `measured` is the X̄-R chart of the page: the characteristic with its specification, the
subgroups with their values, both charts with their limits and out-of-control points, Cp and Cpk."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..forms_records import RecordFilterForm
from ..selectors_records import may_read_records, quality_records
from ..selectors_spc import item_label, measured_chart


class RecordsPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return may_read_records(request.user)


class ParetoSerializer(serializers.Serializer):
    category = serializers.CharField()
    count = serializers.FloatField()
    percent = serializers.FloatField(help_text="Share of the total, 0–100.")
    cumulative = serializers.FloatField(help_text="Cumulative share, 0–100.")
    is_other = serializers.BooleanField()


class PointSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField()
    ucl = serializers.FloatField()
    lcl = serializers.FloatField()
    size = serializers.IntegerField(allow_null=True)
    beyond_limits = serializers.BooleanField(source="beyond", help_text="Rule 1: beyond a control limit.")
    run = serializers.BooleanField(help_text="Rule 2: one of 9 or more in a row on one side of the centre.")


class ControlChartSerializer(serializers.Serializer):
    kind = serializers.CharField()
    centre = serializers.FloatField()
    points = PointSerializer(many=True)


class WeekSerializer(serializers.Serializer):
    week = serializers.CharField()
    value = serializers.FloatField(allow_null=True)


class YieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    started = serializers.FloatField()
    good = serializers.FloatField()
    fpy = serializers.FloatField(allow_null=True)


class ProductYieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    steps = YieldSerializer(many=True)
    rty = serializers.FloatField(allow_null=True)


class ProductScrapSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    good = serializers.DecimalField(max_digits=20, decimal_places=4)
    scrap = serializers.DecimalField(max_digits=20, decimal_places=4)
    value = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)


class CharacteristicSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    label = serializers.SerializerMethodField()
    product = serializers.CharField(source="plan.product.code")
    plan = serializers.IntegerField(source="plan_id")
    characteristic = serializers.CharField()
    unit = serializers.CharField()
    nominal = serializers.DecimalField(max_digits=14, decimal_places=4)
    lower_limit = serializers.DecimalField(max_digits=14, decimal_places=4)
    upper_limit = serializers.DecimalField(max_digits=14, decimal_places=4)

    def get_label(self, obj) -> str:
        return item_label(obj)


class SubgroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.FloatField())
    inspections = serializers.ListField(child=serializers.IntegerField(), help_text="Inspection ids.")


class MeasuredSerializer(serializers.Serializer):
    characteristic = CharacteristicSerializer(source="item", allow_null=True)
    grouping = serializers.SerializerMethodField(help_text="by_inspection or in_a_row")
    n = serializers.IntegerField(help_text="Values per subgroup.")
    left_out = serializers.IntegerField(help_text="Inspections with fewer values than n.")
    subgroups = SubgroupSerializer(source="groups", many=True)
    xbar = ControlChartSerializer(allow_null=True)
    r = ControlChartSerializer(allow_null=True)
    out_of_spec = serializers.IntegerField(help_text="Charted values outside the specification limits.")
    cp = serializers.FloatField(source="capability.cp", allow_null=True)
    cpk = serializers.FloatField(source="capability.cpk", allow_null=True)

    def get_grouping(self, obj) -> str:
        return "in_a_row" if obj.in_a_row else "by_inspection"


class RecordsSerializer(serializers.Serializer):
    start = serializers.DateField(source="filter.start")
    end = serializers.DateField(source="filter.end")
    lots = serializers.IntegerField()
    lots_accepted = serializers.IntegerField()
    acceptance_rate = serializers.FloatField(allow_null=True)
    defects = ParetoSerializer(many=True)
    acceptance_by_week = serializers.SerializerMethodField()
    p_chart = ControlChartSerializer(allow_null=True)
    scrap_reasons = ParetoSerializer(many=True)
    fpy = serializers.FloatField(source="fpy_total", allow_null=True)
    fpy_by_work_centre = YieldSerializer(source="fpy_centres", many=True)
    fpy_by_week = serializers.SerializerMethodField()
    products = ProductYieldSerializer(many=True)
    scrap_by_product = ProductScrapSerializer(source="scrap_products", many=True)
    process_lots = serializers.IntegerField(help_text="In-process and final inspections decided.")
    process_passed = serializers.IntegerField()
    process_pass_rate = serializers.FloatField(allow_null=True)
    process_defects = ParetoSerializer(many=True)
    measured = serializers.SerializerMethodField()

    @extend_schema_field(MeasuredSerializer)
    def get_measured(self, obj):
        return MeasuredSerializer(self.context["measured"]).data

    @extend_schema_field(WeekSerializer(many=True))
    def get_acceptance_by_week(self, obj):
        return WeekSerializer([{"week": w, "value": v} for w, v in obj.acceptance], many=True).data

    @extend_schema_field(WeekSerializer(many=True))
    def get_fpy_by_week(self, obj):
        return WeekSerializer([{"week": w, "value": v} for w, v in obj.fpy_weeks], many=True).data


FILTERS = [
    OpenApiParameter("period", str, enum=["this_month", "last_month", "quarter", "custom"]),
    OpenApiParameter("start", str, description="YYYY-MM-DD, with period=custom"),
    OpenApiParameter("end", str, description="YYYY-MM-DD, with period=custom"),
    OpenApiParameter("product", int),
    OpenApiParameter("supplier", int),
    OpenApiParameter("work_centre", int),
    OpenApiParameter("characteristic", int, description="A measured inspection plan item (the X̄-R chart)"),
    OpenApiParameter(
        "subgroup", str, enum=["", *[str(n) for n in range(2, 11)]], description="Empty: by inspection"
    ),
]


class _OneObject(AutoSchema):
    """The figures are one object, though served by the viewset's `list`."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class QualityRecordsViewSet(viewsets.ViewSet):
    permission_classes = [RecordsPermission]
    schema = _OneObject()

    @extend_schema(parameters=FILTERS, responses={200: RecordsSerializer})
    def list(self, request):
        """Defect and scrap Pareto, acceptance and first-pass yield by week, the p chart with its
        limits and out-of-control points, rolled throughput yield and scrap per product."""
        form = RecordFilterForm(request.query_params or {"period": "quarter"})
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        f = form.record_filter()
        figures = quality_records(user=request.user, f=f)
        chart = measured_chart(user=request.user, f=f)
        return Response(RecordsSerializer(figures, context={"measured": chart}).data)


def register_records(router) -> None:
    router.register("quality-records", QualityRecordsViewSet, basename="quality-records")
