"""Merchandiser KPIs in the API (R-7.1, R-8.3): the figures of a period per merchandiser
(`/api/kpi/?period=2026-Q1`), one merchandiser's with the records behind each figure
(`/api/kpi/<user id>/`), and the settings (`/api/kpi-settings/`, GET and PUT, management). The same
readers, rules and service as the pages: a merchandiser reads only his own (another's is a 404); a
bad period is a 400; a bad setting a 400 naming the field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.engine import kpi as engine
from gendan.engine.scorecard import PeriodError

from ..labels import FIGURE_LABELS
from ..models import KpiSettings
from ..selectors import READ, kpi_detail, kpi_overview, merchandisers, read_period
from ..services import current_values, kpi_settings_update

PERIOD = OpenApiParameter(
    "period", str, description="2026-03 (month), 2026-Q1 (quarter) or 2026 (year); default: this quarter"
)


class MayReadKpi(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm(READ))


class RecordSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The record's id (an order, acknowledgement, plan version, issue…).")
    label = serializers.CharField()
    url = serializers.CharField(help_text="Its page; empty when it has none.")
    against = serializers.BooleanField(help_text="Counts against the figure (late, overdue, a complaint).")


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    unit = serializers.CharField(help_text="%, h, d, count, per 100 shipments, rating")
    better = serializers.CharField(help_text="higher or lower")
    target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    points = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    weight_pct = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="Its share of the score; null: left out."
    )
    no_data = serializers.CharField(allow_null=True, help_text="Why there is no value (no_records, …).")
    counted = serializers.IntegerField()
    against = serializers.IntegerField()


class FigureWithRecordsSerializer(FigureSerializer):
    records = RecordSerializer(many=True)


class KpiSerializer(serializers.Serializer):
    merchandiser = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    figures = FigureSerializer(many=True)


class KpiDetailSerializer(KpiSerializer):
    figures = FigureWithRecordsSerializer(many=True)  # type: ignore[assignment]


def _figure(report, f: engine.Figure, lines=None) -> dict:
    used = report.weights_used.get(f.code)
    data = {
        "code": f.code,
        "label": str(FIGURE_LABELS[f.code]),
        "value": f.value,
        "unit": f.unit,
        "better": f.better,
        "target": f.target,
        "met": f.met,
        "points": f.points,
        "weight_pct": round(used * 100, 1) if used is not None else None,
        "no_data": f.reason,
        "counted": len(f.counted),
        "against": len(f.missed),
    }
    if lines is not None:
        data["records"] = [
            {"id": str(line.id), "label": line.ref.label, "url": line.ref.url, "against": line.missed}
            for line in lines
        ]
    return data


def _row(person, report, drills=None) -> dict:
    figures = (
        [_figure(report, d.figure, d.lines) for d in drills]
        if drills is not None
        else [_figure(report, f) for f in report.figures.values()]
    )
    return {
        "merchandiser": person.pk,
        "username": person.username,
        "name": str(person),
        "period": report.period.key,
        "start": report.period.start,
        "end": report.period.end,
        "score": report.score,
        "figures": figures,
    }


def _period(request):
    try:
        return read_period(request.query_params.get("period"))
    except PeriodError as exc:
        raise ValidationError(
            {"period": ["Give a month (2026-03), a quarter (2026-Q1) or a year (2026)."]}
        ) from exc


class KpiViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, MayReadKpi]
    serializer_class = KpiSerializer

    @extend_schema(parameters=[PERIOD], responses={200: KpiSerializer(many=True)})
    def list(self, request):
        """Every merchandiser's figures and score for the period (a merchandiser: only his own)."""
        period = _period(request)
        rows = kpi_overview(user=request.user, period=period)
        return Response(KpiSerializer([_row(r.merchandiser, r.report) for r in rows], many=True).data)

    @extend_schema(parameters=[PERIOD], responses={200: KpiDetailSerializer})
    def retrieve(self, request, pk=None):
        """One merchandiser's figures (pk: the user) with the records behind each figure."""
        period = _period(request)
        if not str(pk).isdigit() or len(str(pk)) > 18:
            raise Http404
        person = merchandisers(request.user).filter(pk=int(pk)).first()
        if person is None:
            raise Http404
        d = kpi_detail(merchandiser=person, period=period)
        return Response(KpiDetailSerializer(_row(person, d.report, d.drills)).data)


def _numbers(codes, **extra):
    return serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2, **extra),
        help_text=f"Keys: {', '.join(codes)}",
    )


class KpiSettingsSerializer(serializers.Serializer):
    step_hours = _numbers(engine.STEPS)
    targets = _numbers(engine.FIGURES, allow_null=True)
    weights = _numbers(engine.FIGURES)


class KpiSettingsView(APIView):
    """The KPI settings: hours per step, a target per figure (null: not judged), a weight per figure.
    PUT changes what it names (management); a bad value is a 400 naming the field."""

    queryset = KpiSettings.objects.none()  # the role table: view_/change_kpisettings
    serializer_class = KpiSettingsSerializer

    @extend_schema(responses={200: KpiSettingsSerializer})
    def get(self, request):
        return Response(KpiSettingsSerializer(current_values()).data)

    @extend_schema(request=KpiSettingsSerializer, responses={200: KpiSettingsSerializer})
    def put(self, request):
        data = request.data
        if not isinstance(data, dict) or not data:
            raise ValidationError({"non_field_errors": ["Give step_hours, targets or weights to change."]})
        parts = {}
        for name in ("step_hours", "targets", "weights"):
            value = data.get(name, {})
            if not isinstance(value, dict):
                raise ValidationError({name: ["Give an object of figure codes and numbers."]})
            parts[name] = value
        try:
            kpi_settings_update(actor=request.user, **parts)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response(KpiSettingsSerializer(current_values()).data)


def register(router) -> None:
    router.register("kpi", KpiViewSet, basename="kpi")
