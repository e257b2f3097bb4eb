"""Supplier cases in the API: `/api/supplier-cases/` (the list page's filter set and row rules) and
the same steps as the page, `/api/supplier-cases/<id>/decide|record-return|approve|reject|reconsider/`
(the same services and refusals: 403, 404, 409 on a conflict, 400 naming the field)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ..choices import CASE_STEP_ACTION, CaseKind, CaseStatus, CaseStep
from ..filters_cases import SupplierCaseFilter
from ..models import SupplierCase
from ..selectors_cases import case_list
from ..services import cases as svc
from ..services.cases_flow import NOTE_MAX


class CaseReadPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return SupplierCase.objects.all().role_allows(request.user, "view")


class SupplierCaseSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    kind = serializers.ChoiceField(choices=[("", "")] + list(CaseKind.choices), read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    material_code = serializers.CharField(source="material.code", read_only=True)
    receipt_number = serializers.CharField(source="receipt.number", read_only=True)
    remaining_qty = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    approved_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = SupplierCase
        fields = [
            "id",
            "number",
            "status",
            "kind",
            "receipt",
            "receipt_number",
            "supplier",
            "supplier_code",
            "material",
            "material_code",
            "quantity",
            "description",
            "resolution",
            "follows",
            "due_date",
            "is_overdue",
            "redeliver",
            "returned_on",
            "return_carrier",
            "replaced_qty",
            "remaining_qty",
            "conceded_qty",
            "decided_by",
            "decided_at",
            "approved_by",
            "approved_at",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields


class CaseDecideSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    redeliver = serializers.BooleanField(required=False, default=True)


class ReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField()
    carrier = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class CaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_MAX)


class SupplierCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Supplier cases (R-3.6): read them, and take the steps the page offers."""

    serializer_class = SupplierCaseSerializer
    permission_classes = [CaseReadPermission]
    filterset_class = SupplierCaseFilter
    queryset = SupplierCase.objects.none()
    ordering_fields = ["opened_at", "due_date", "number", "id"]

    def get_queryset(self):
        return case_list(user=self.request.user).order_by("-opened_at", "-pk")

    def _step(self, request, pk, step, service, body_class):
        case = get_object_or_404(self.get_queryset(), pk=pk)  # 404 for a case he may not see
        if not SupplierCase.objects.all().role_allows(request.user, CASE_STEP_ACTION[step]):
            raise PermissionDenied
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        service(actor=request.user, case=case, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=CaseDecideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._step(request, pk, CaseStep.DECIDE, svc.case_decide, CaseDecideSerializer)

    @extend_schema(request=ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="record-return")
    def record_return(self, request, pk=None):
        return self._step(request, pk, CaseStep.RECORD_RETURN, svc.case_return_record, ReturnSerializer)

    @extend_schema(request=ApproveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, pk, CaseStep.APPROVE, svc.case_concession_approve, ApproveSerializer)

    @extend_schema(request=CaseReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, pk, CaseStep.REJECT, svc.case_concession_reject, CaseReasonSerializer)

    @extend_schema(request=CaseReasonSerializer)
    @action(detail=True, methods=["post"])
    def reconsider(self, request, pk=None):
        return self._step(request, pk, CaseStep.RECONSIDER, svc.case_reconsider, CaseReasonSerializer)


def register(router) -> None:
    router.register("supplier-cases", SupplierCaseViewSet, basename="suppliercase")
