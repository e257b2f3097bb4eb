"""Incoming inspection API (R-8.3): defect codes and sampling settings (the pages' EntityViews),
inspections with their sampling plan, defects and photos; POST start, defects, photos and complete
through the same services as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from gendan.core.api.viewsets import MasterRecordViewSet
from gendan.purchasing.models import Receipt

from .. import services
from .. import views as pages
from ..filters import InspectionFilter
from ..models import Inspection
from ..selectors import inspection_detail, inspection_list
from . import serializers as s
from .nc import CorrectiveActionViewSet, NonconformanceViewSet
from .process import ProcessInspectionViewSet
from .records import register_records


class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilter
    queryset = Inspection.objects.none()
    ordering_fields = ["started_at", "completed_at", "id"]

    def get_queryset(self):
        return inspection_list(user=self.request.user).prefetch_related("defects__code", "photos")

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(
            s.InspectionSerializer(inspection_detail(user=self.request.user, pk=pk)).data, status=code
        )

    @extend_schema(request=s.StartSerializer, responses={201: s.InspectionSerializer})
    @action(detail=False, methods=["post"])
    def start(self, request):
        """Start inspecting a receipt waiting in inspection: the sampling plan is fixed now."""
        body = s.StartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        receipt = get_object_or_404(
            Receipt.objects.restrict(request.user, "view"), pk=body.validated_data["receipt"]
        )
        started = services.inspection_start(actor=request.user, receipt_id=receipt.pk)
        return self._answer(started.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.DefectAddSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def defects(self, request, pk=None):
        obj = self.get_object()
        body = s.DefectAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.inspection_defect_add(
            actor=request.user,
            inspection_id=obj.pk,
            code_id=data["code"],
            count=data["count"],
            note=data["note"],
        )
        return self._answer(obj.pk)

    @extend_schema(
        request={"multipart/form-data": s.PhotoAddSerializer}, responses={200: s.InspectionSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def photos(self, request, pk=None):
        obj = self.get_object()
        body = s.PhotoAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.inspection_photo_add(
            actor=request.user, inspection_id=obj.pk, upload=body.validated_data["photo"]
        )
        return self._answer(obj.pk)

    @extend_schema(request=s.CompleteSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Decide the lot by Ac/Re (or otherwise, with a reason): the accepted quantity is stocked in."""
        obj = self.get_object()
        body = s.CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.inspection_complete(actor=request.user, inspection_id=obj.pk, **body.validated_data)
        return self._answer(obj.pk)


DefectCodeViewSet = type(
    "DefectCodeViewSet",
    (MasterRecordViewSet,),
    {
        "entity": pages.defect_codes,
        "serializer_class": s.DefectCodeSerializer,
        "queryset": pages.defect_codes.model.objects.none(),
    },
)
SamplingSettingViewSet = type(
    "SamplingSettingViewSet",
    (MasterRecordViewSet,),
    {
        "entity": pages.sampling_settings,
        "serializer_class": s.SamplingSettingSerializer,
        "queryset": pages.sampling_settings.model.objects.none(),
    },
)

InspectionPlanViewSet = type(
    "InspectionPlanViewSet",
    (MasterRecordViewSet,),
    {
        "entity": pages.inspection_plans,
        "serializer_class": s.InspectionPlanSerializer,
        "queryset": pages.inspection_plans.model.objects.none(),
    },
)
InspectionPlanItemViewSet = type(
    "InspectionPlanItemViewSet",
    (MasterRecordViewSet,),
    {
        "entity": pages.inspection_plan_items,
        "serializer_class": s.InspectionPlanItemSerializer,
        "queryset": pages.inspection_plan_items.model.objects.none(),
    },
)


def register(router) -> None:
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("defect-codes", DefectCodeViewSet, basename="defectcode")
    router.register("sampling-settings", SamplingSettingViewSet, basename="samplingsetting")
    register_records(router)
    router.register("nonconformances", NonconformanceViewSet, basename="nonconformance")
    router.register("corrective-actions", CorrectiveActionViewSet, basename="correctiveaction")
    router.register("process-inspections", ProcessInspectionViewSet, basename="processinspection")
    router.register("inspection-plans", InspectionPlanViewSet, basename="inspectionplan")
    router.register("inspection-plan-items", InspectionPlanItemViewSet, basename="inspectionplanitem")
