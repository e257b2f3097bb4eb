"""Plan API (R-8.3): versions with their planned operations and materials, filtered by order and
status; planned operations by work centre and time; POST actions build, re-run, pin, unpin, split
and acknowledge a warning through the same services as the pages."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from gendan.core.api.params import id_param

from ..choices import VersionStatus
from ..models import PlanMaterial, PlannedOperation, PlanVersion
from ..services.adjust import plan_acknowledge_warning, plan_pin, plan_split, plan_unpin
from ..services.build import plan_build, plan_rerun
from . import serializers as s


class PlanPermission(permissions.BasePermission):
    """The role must read plans at all; which ones is PlanVersion.objects.restrict's answer, and
    what he may do to each the services decide."""

    def has_permission(self, request, view):
        return PlanVersion.objects.all().role_allows(request.user, "view")


def _ok(versions):
    return Response(s.PlanVersionSerializer(versions, many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("order", int, description="only the versions of this order (its id)"),
            OpenApiParameter(
                "status", str, enum=VersionStatus.values, description="only versions in this status"
            ),
        ]
    )
)
class PlanVersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PlanVersionSerializer
    permission_classes = [PlanPermission]
    queryset = PlanVersion.objects.none()

    def get_queryset(self):
        qs = (
            PlanVersion.objects.restrict(self.request.user, "view")
            .select_related("plan__order")
            # The parts are joined to their operation, centre and material, not prefetched by id: a page
            # of versions has thousands of planned operations, and SQLite refuses an IN list that long.
            .prefetch_related(
                Prefetch(
                    "operations", queryset=PlannedOperation.objects.select_related("operation", "work_centre")
                ),
                Prefetch("materials", queryset=PlanMaterial.objects.select_related("material")),
            )
            .order_by("-pk")
        )
        order = id_param(self.request, "order")
        if order is not None:
            qs = qs.filter(plan__order_id=order)
        wanted = self.request.query_params.get("status", "")
        if wanted:
            if wanted not in VersionStatus.values:
                raise ValidationError({"status": [_("Not a version status.")]})
            qs = qs.filter(status=wanted)
        return qs

    @extend_schema(request=s.BuildSerializer, responses={201: s.PlanVersionSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def build(self, request):
        body = s.BuildSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        versions = plan_build(actor=request.user, order_ids=body.validated_data["orders"])
        return Response(s.PlanVersionSerializer(versions, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        version = self.get_object()
        return Response(self.get_serializer(plan_rerun(actor=request.user, version_id=version.pk)).data)

    @extend_schema(request=s.AcknowledgeSerializer)
    @action(detail=True, methods=["post"], url_path="acknowledge-warning")
    def acknowledge_warning(self, request, pk=None):
        version = self.get_object()
        body = s.AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = plan_acknowledge_warning(
            actor=request.user, version_id=version.pk, index=body.validated_data["index"]
        )
        return Response(self.get_serializer(result).data)


def _datetime_param(request, name):
    value = request.query_params.get(name, "")
    if value == "":
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({name: [_("Enter a date and time, e.g. 2026-03-01T08:00:00+08:00.")]})
    return parsed


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="only the operations of this plan version"),
            OpenApiParameter("work_centre", int, description="only operations on this work centre (its id)"),
            OpenApiParameter(
                "start_after", str, description="only operations starting at or after this time"
            ),
            OpenApiParameter("start_before", str, description="only operations starting before this time"),
        ]
    )
)
class PlannedOperationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PlannedOperationSerializer
    permission_classes = [PlanPermission]
    queryset = PlannedOperation.objects.none()

    def get_queryset(self):
        qs = (
            PlannedOperation.objects.restrict(self.request.user, "view")
            .select_related("operation", "work_centre")
            .order_by("start", "pk")
        )
        for name, lookup in (("version", "version_id"), ("work_centre", "work_centre_id")):
            value = id_param(self.request, name)
            if value is not None:
                qs = qs.filter(**{lookup: value})
        after, before = (
            _datetime_param(self.request, "start_after"),
            _datetime_param(self.request, "start_before"),
        )
        if after is not None:
            qs = qs.filter(start__gte=after)
        if before is not None:
            qs = qs.filter(start__lt=before)
        return qs

    def _version(self, result):
        return Response(s.PlanVersionSerializer(result).data)

    @extend_schema(request=s.PinSerializer, responses=s.PlanVersionSerializer)
    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        planned = self.get_object()
        body = s.PinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = plan_pin(
            actor=request.user,
            planned_id=planned.pk,
            work_centre_id=data.get("work_centre"),
            start=data.get("start"),
        )
        return self._version(result)

    @extend_schema(request=None, responses=s.PlanVersionSerializer)
    @action(detail=True, methods=["post"])
    def unpin(self, request, pk=None):
        planned = self.get_object()
        return self._version(plan_unpin(actor=request.user, planned_id=planned.pk))

    @extend_schema(request=s.SplitSerializer, responses=s.PlanVersionSerializer)
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        planned = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.SplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._version(
            plan_split(
                actor=request.user, planned_id=planned.pk, quantities=body.validated_data["quantities"]
            )
        )


def register(router) -> None:
    router.register("plan-versions", PlanVersionViewSet, basename="plan-version")
    router.register("planned-operations", PlannedOperationViewSet, basename="planned-operation")
