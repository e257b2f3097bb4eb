"""In-process and final inspection API (R-8.3): the inspections one may see, with measurements,
defects and photos; POST create, start, measurements, defects (added, removed), photos and complete
through the same services as the pages. Status, inspector, sample size and Ac/Re are never set from
a payload. As on the pages, a step on an inspection the user may not see is a 404, one he sees but
may not take a 403 (the services ask `change`), one the inspection's state refuses a 409."""

from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from .. import services_process as services
from ..choices import ProcessKind
from ..filters import ProcessInspectionFilter
from ..models_process import ProcessDefect, ProcessInspection, ProcessMeasurement, ProcessPhoto
from ..selectors_process import process_detail, process_list

ID = {"min_value": 1, "max_value": 2**31 - 1}


class StrictSerializer(serializers.Serializer):
    """A misspelt field is an error, not silently dropped (R-8.4)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class NotFoundMixin:
    """A record that went away between the viewset's read and the service's (or one the service
    looks up itself) is a 404, not a server error."""

    def handle_exception(self, exc):
        if isinstance(exc, ObjectDoesNotExist):
            exc = exceptions.NotFound()
        return super().handle_exception(exc)  # type: ignore[misc]


class ProcessPermission(permissions.BasePermission):
    """The role must read inspections at all; which ones, and what he may do to each, the
    selectors and the services decide (as on the pages)."""

    def has_permission(self, request, view):
        return ProcessInspection.objects.all().role_allows(request.user, "view")


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessMeasurement
        fields = ["id", "item", "unit_no", "value", "ok", "recorded_by", "recorded_at"]
        read_only_fields = fields


class DefectSerializer(serializers.ModelSerializer):
    code_code = serializers.CharField(source="code.code", read_only=True)

    class Meta:
        model = ProcessDefect
        fields = ["id", "code", "code_code", "count", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class PhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessPhoto
        fields = ["id", "original_name", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class ProcessInspectionSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    measurements = MeasurementSerializer(many=True, read_only=True)
    defects = DefectSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ProcessInspection
        fields = [
            "id",
            "kind",
            "status",
            "order",
            "order_number",
            "order_line",
            "operation",
            "plan",
            "lot_quantity",
            "sample_size",
            "accept_number",
            "reject_number",
            "nonconforming",
            "note",
            "inspector",
            "created_at",
            "started_at",
            "completed_at",
            "measurements",
            "defects",
            "photos",
        ]
        read_only_fields = fields


class ProcessCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ProcessKind.choices)
    order_line = serializers.IntegerField(**ID)
    operation = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    lot_quantity = serializers.IntegerField(**ID)


class ProcessMeasureSerializer(StrictSerializer):
    item = serializers.IntegerField(**ID)
    unit_no = serializers.IntegerField(**ID)
    value = serializers.CharField(
        max_length=30, required=False, allow_blank=True, allow_null=True, default=None
    )
    ok = serializers.BooleanField(required=False, allow_null=True, default=None)


class ProcessDefectAddSerializer(StrictSerializer):
    code = serializers.IntegerField(**ID)
    count = serializers.IntegerField(min_value=1, max_value=10**9)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ProcessDefectRemoveSerializer(StrictSerializer):
    defect = serializers.IntegerField(**ID)


class ProcessPhotoAddSerializer(serializers.Serializer):
    photo = serializers.FileField()


class ProcessCompleteSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProcessInspectionViewSet(NotFoundMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProcessInspectionSerializer
    permission_classes = [ProcessPermission]
    filterset_class = ProcessInspectionFilter
    queryset = ProcessInspection.objects.none()
    ordering_fields = ["created_at", "completed_at", "id"]

    def get_queryset(self):
        return process_list(user=self.request.user).prefetch_related(
            "measurements", "defects__code", "photos"
        )

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(
            ProcessInspectionSerializer(process_detail(user=self.request.user, pk=pk)).data, status=code
        )

    def _body(self, cls, request):
        body = cls(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=ProcessCreateSerializer, responses={201: ProcessInspectionSerializer})
    def create(self, request):
        """An inspection task by hand: in-process at an operation of the line, or final."""
        data = self._body(ProcessCreateSerializer, request)
        made = services.process_inspection_create(
            actor=request.user,
            kind=data["kind"],
            order_line_id=data["order_line"],
            operation_id=data["operation"],
            lot_quantity=data["lot_quantity"],
        )
        return self._answer(made.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ProcessInspectionSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        obj = self.get_object()
        services.process_inspection_start(actor=request.user, inspection_id=obj.pk)
        return self._answer(obj.pk)

    @extend_schema(request=ProcessMeasureSerializer, responses={200: ProcessInspectionSerializer})
    @action(detail=True, methods=["post"])
    def measurements(self, request, pk=None):
        obj = self.get_object()
        data = self._body(ProcessMeasureSerializer, request)
        services.process_measurement_record(
            actor=request.user,
            inspection_id=obj.pk,
            item_id=data["item"],
            unit_no=data["unit_no"],
            value=data["value"],
            ok=data["ok"],
        )
        return self._answer(obj.pk)

    @extend_schema(request=ProcessDefectAddSerializer, responses={200: ProcessInspectionSerializer})
    @action(detail=True, methods=["post"])
    def defects(self, request, pk=None):
        obj = self.get_object()
        data = self._body(ProcessDefectAddSerializer, request)
        services.process_defect_add(
            actor=request.user,
            inspection_id=obj.pk,
            code_id=data["code"],
            count=data["count"],
            note=data["note"],
        )
        return self._answer(obj.pk)

    @extend_schema(request=ProcessDefectRemoveSerializer, responses={200: ProcessInspectionSerializer})
    @action(detail=True, methods=["post"], url_path="remove-defect")
    def remove_defect(self, request, pk=None):
        """Take back a defect counted by mistake, while the inspection is in progress."""
        obj = self.get_object()
        data = self._body(ProcessDefectRemoveSerializer, request)
        services.process_defect_remove(actor=request.user, inspection_id=obj.pk, defect_id=data["defect"])
        return self._answer(obj.pk)

    @extend_schema(
        request={"multipart/form-data": ProcessPhotoAddSerializer},
        responses={200: ProcessInspectionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def photos(self, request, pk=None):
        obj = self.get_object()
        data = self._body(ProcessPhotoAddSerializer, request)
        services.process_photo_add(actor=request.user, inspection_id=obj.pk, upload=data["photo"])
        return self._answer(obj.pk)

    @extend_schema(request=ProcessCompleteSerializer, responses={200: ProcessInspectionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Decide the lot against the plan: passed with at most Ac defective units."""
        obj = self.get_object()
        data = self._body(ProcessCompleteSerializer, request)
        services.process_inspection_complete(actor=request.user, inspection_id=obj.pk, note=data["note"])
        return self._answer(obj.pk)
