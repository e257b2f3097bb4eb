"""Issue API (R-8.3): the same selectors, filters, services and rules as the pages. The workflow
steps are POST actions; no payload sets a status, a number or who opened or closed an issue."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.core.api.viewsets import MasterRecordViewSet

from .. import services
from ..filters import IssueFilter
from ..models import Issue
from ..selectors import issue_list
from ..views import maintenance
from . import serializers as s


class IssuePermission(permissions.BasePermission):
    """The role must see issues at all; which ones, and what he may do to each, is decided by
    Issue.objects.restrict and by the services."""

    def has_permission(self, request, view):
        return Issue.objects.all().role_allows(request.user, "view")


class IssueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.IssueSerializer
    filterset_class = IssueFilter
    permission_classes = [IssuePermission]
    queryset = Issue.objects.none()
    ordering_fields = ["opened_at", "due_date", "severity_rank", "number", "status"]

    def get_queryset(self):
        return (
            issue_list(user=self.request.user).prefetch_related("notes__author").order_by("-opened_at", "-pk")
        )

    def perform_create(self, serializer):
        serializer.instance = services.issue_open(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.issue_update(
            actor=self.request.user,
            issue_id=serializer.instance.pk,
            # The serializer refused a changed kind, order, operation or work centre; unchanged
            # ones sent back are left out.
            data={k: v for k, v in serializer.validated_data.items() if k in services.EDITABLE},
        )

    def _done(self, issue_id: int, code: int = status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=issue_id)).data, status=code)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        issue = self.get_object()
        services.issue_accept(actor=request.user, issue_id=issue.pk)
        return self._done(issue.pk)

    @extend_schema(request=s.SolutionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Refused (400, naming `solution`) while no solution is recorded."""
        issue = self.get_object()
        body = s.SolutionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.issue_resolve(
            actor=request.user, issue_id=issue.pk, solution=body.validated_data.get("solution")
        )
        return self._done(issue.pk)

    @extend_schema(request=s.CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        issue = self.get_object()
        body = s.CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.issue_close(actor=request.user, issue_id=issue.pk, note=body.validated_data["note"])
        return self._done(issue.pk)

    @extend_schema(request=s.ReopenSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        issue = self.get_object()
        body = s.ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.issue_reopen(actor=request.user, issue_id=issue.pk, reason=body.validated_data["reason"])
        return self._done(issue.pk)

    @extend_schema(request=s.IssueNoteAddSerializer, responses={201: s.IssueNoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        issue = self.get_object()
        body = s.IssueNoteAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.issue_note_add(
            actor=request.user, issue_id=issue.pk, text=body.validated_data["text"]
        )
        return Response(s.IssueNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj


class MaintenanceRecordViewSet(MasterRecordViewSet):
    """Maintenance records are kept, not archived: no archive or restore."""

    entity = maintenance
    serializer_class = s.MaintenanceRecordSerializer
    queryset = maintenance.model.objects.none()
    archive = None
    restore = None


def register(router) -> None:
    router.register("issues", IssueViewSet, basename="issue")
    router.register("maintenance-records", MaintenanceRecordViewSet, basename="maintenancerecord")
