"""Nonconformances and corrective actions in the API (R-8.3): read what one may see; POST the
same steps as the pages through the same services (decide, approve, refuse; a corrective action
created, done, given evidence, verified, checked). Status, approver and verifier are never set from
a payload. A nonconformance names the issue it opened (`issue`, read-only).

Who may take a step is the services' question, as on the pages: the viewsets only ask that the role
reads these records at all (a step on a record he may not see is a 404 first), since the steps need
different permissions (approve: `approve_nonconformance`, held by management, which adds none; done:
the action's owner, of any department) that one POST permission cannot say."""

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from gendan.issues.models import Issue

from .. import services_nc as services
from ..choices import Disposition
from ..models_nc import ActionEvidence, CorrectiveAction, Nonconformance
from .process import ID, NotFoundMixin, StrictSerializer


class NonconformancePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return Nonconformance.objects.all().role_allows(request.user, "view")


class CorrectiveActionPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return CorrectiveAction.objects.all().role_allows(request.user, "view")


class ActionEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionEvidence
        fields = ["id", "original_name", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class CorrectiveActionSerializer(serializers.ModelSerializer):
    evidence = ActionEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "nonconformance",
            "containment",
            "root_cause",
            "action",
            "owner",
            "due_date",
            "status",
            "done_by",
            "done_at",
            "done_note",
            "verified_by",
            "verified_at",
            "verification_note",
            "effectiveness_note",
            "reopened_count",
            "created_at",
            "evidence",
        ]
        read_only_fields = fields


class NonconformanceSerializer(serializers.ModelSerializer):
    actions = CorrectiveActionSerializer(many=True, read_only=True)
    issue = serializers.IntegerField(
        source="issue_id", read_only=True, allow_null=True, help_text="The issue this nonconformance opened."
    )
    # Empty until quality decides: the schema must say so (a read-only model field loses its blank).
    disposition = serializers.ChoiceField(choices=Disposition.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Nonconformance
        fields = [
            "id",
            "inspection",
            "order",
            "order_line",
            "quantity",
            "defect",
            "description",
            "status",
            "disposition",
            "disposition_note",
            "decided_by",
            "decided_at",
            "customer_approval_required",
            "customer_approval",
            "approved_by",
            "approved_at",
            "created_at",
            "issue",
            "actions",
        ]
        read_only_fields = fields


class NonconformanceDecideSerializer(StrictSerializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    customer_approval_required = serializers.BooleanField(required=False, allow_null=True, default=None)


class NonconformanceApproveSerializer(StrictSerializer):
    customer_approval = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class NonconformanceReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=300)


class ActionCreateSerializer(StrictSerializer):
    containment = serializers.CharField(max_length=2000)
    root_cause = serializers.CharField(max_length=2000)
    action = serializers.CharField(max_length=2000)
    owner = serializers.IntegerField(**ID)
    due_date = serializers.DateField()


class ActionEvidenceAddSerializer(serializers.Serializer):
    file = serializers.FileField()


class ActionDoneSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000)


class ActionVerifySerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000)
    effective = serializers.BooleanField(required=False, default=True)


def _body(cls, request) -> dict:
    body = cls(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class NonconformanceViewSet(NotFoundMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NonconformanceSerializer
    permission_classes = [NonconformancePermission]
    queryset = Nonconformance.objects.none()
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        # The issue it opened is found by its fingerprint (nc:<pk>), in the same query.
        issue = Issue.objects.filter(
            fingerprint=Concat(Value("nc:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
        ).order_by("pk")
        return (
            Nonconformance.objects.restrict(self.request.user, "view")
            .annotate(issue_id=Subquery(issue.values("pk")[:1]))
            .prefetch_related("actions__evidence")
        )

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(NonconformanceSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=NonconformanceDecideSerializer, responses={200: NonconformanceSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        obj = self.get_object()
        data = _body(NonconformanceDecideSerializer, request)
        services.nc_decide(actor=request.user, nc_id=obj.pk, **data)
        return self._answer(obj.pk)

    @extend_schema(request=NonconformanceApproveSerializer, responses={200: NonconformanceSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        obj = self.get_object()
        services.nc_approve(
            actor=request.user, nc_id=obj.pk, **_body(NonconformanceApproveSerializer, request)
        )
        return self._answer(obj.pk)

    @extend_schema(request=NonconformanceReasonSerializer, responses={200: NonconformanceSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        obj = self.get_object()
        services.nc_refuse(actor=request.user, nc_id=obj.pk, **_body(NonconformanceReasonSerializer, request))
        return self._answer(obj.pk)

    @extend_schema(request=ActionCreateSerializer, responses={201: NonconformanceSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        obj = self.get_object()
        data = _body(ActionCreateSerializer, request)
        services.action_create(
            actor=request.user,
            nc_id=obj.pk,
            containment=data["containment"],
            root_cause=data["root_cause"],
            action=data["action"],
            owner_id=data["owner"],
            due_date=data["due_date"],
        )
        return self._answer(obj.pk, status.HTTP_201_CREATED)


class CorrectiveActionViewSet(NotFoundMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CorrectiveActionSerializer
    permission_classes = [CorrectiveActionPermission]
    queryset = CorrectiveAction.objects.none()
    ordering_fields = ["created_at", "due_date", "id"]

    def get_queryset(self):
        return CorrectiveAction.objects.restrict(self.request.user, "view").prefetch_related("evidence")

    def _answer(self, pk):
        return Response(CorrectiveActionSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=ActionDoneSerializer, responses={200: CorrectiveActionSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """The owner says the action is done (what was done): quality verifies it next."""
        obj = self.get_object()
        services.action_done(
            actor=request.user, action_id=obj.pk, note=_body(ActionDoneSerializer, request)["note"]
        )
        return self._answer(obj.pk)

    @extend_schema(
        request={"multipart/form-data": ActionEvidenceAddSerializer},
        responses={200: CorrectiveActionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def evidence(self, request, pk=None):
        """What shows the action works (a photo, a report): by its owner or quality."""
        obj = self.get_object()
        data = _body(ActionEvidenceAddSerializer, request)
        services.evidence_add(actor=request.user, action_id=obj.pk, upload=data["file"])
        return self._answer(obj.pk)

    @extend_schema(request=ActionVerifySerializer, responses={200: CorrectiveActionSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        obj = self.get_object()
        data = _body(ActionVerifySerializer, request)
        services.action_verify(
            actor=request.user, action_id=obj.pk, note=data["note"], effective=data["effective"]
        )
        return self._answer(obj.pk)

    @extend_schema(request=ActionVerifySerializer, responses={200: CorrectiveActionSerializer})
    @action(detail=True, methods=["post"])
    def effectiveness(self, request, pk=None):
        obj = self.get_object()
        data = _body(ActionVerifySerializer, request)
        services.action_effectiveness(
            actor=request.user, action_id=obj.pk, effective=data["effective"], note=data["note"]
        )
        return self._answer(obj.pk)
