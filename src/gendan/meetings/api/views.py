"""Coordination meetings in the API (R-8.3): `/api/meetings/` (call, read, edit; the steps
`hold/`, `send-minutes/`; `attendees/`, `agenda/`, `candidates/`), `/api/meeting-agenda-items/`
(read; `decide/`) and `/api/meeting-actions/` (record, read). The same services and rules as the
pages: 403, 404, 409 on a conflict, 400 naming the field."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gendan.issues.api.serializers import IssueSerializer
from gendan.orders.models import Order

from .. import services
from ..filters import MeetingFilter
from ..models import ActionItem, AgendaItem, Meeting
from ..selectors import meeting_list
from . import serializers as s


class MeetingPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return Meeting.objects.all().role_allows(request.user, "view")


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter
    permission_classes = [MeetingPermission]
    queryset = Meeting.objects.none()
    ordering_fields = ["held_on", "number", "status"]

    def get_queryset(self):
        return (
            meeting_list(user=self.request.user)
            .prefetch_related("attendees", "agenda__issue", "actions__issue")
            .order_by("-held_on", "-pk")
        )

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def perform_create(self, serializer):
        serializer.instance = services.meeting_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.meeting_update(
            actor=self.request.user, meeting_id=serializer.instance.pk, data=dict(serializer.validated_data)
        )

    def _done(self, meeting_id: int, code: int = status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting_id)).data, status=code)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        meeting = self.get_object()
        services.meeting_hold(actor=request.user, meeting_id=meeting.pk)
        return self._done(meeting.pk)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="send-minutes")
    def send_minutes(self, request, pk=None):
        """Refused (400, naming `decision`) while an agenda issue has no decision."""
        meeting = self.get_object()
        services.minutes_send(actor=request.user, meeting_id=meeting.pk)
        return self._done(meeting.pk)

    @extend_schema(request=s.AttendeesSerializer)
    @action(detail=True, methods=["post"])
    def attendees(self, request, pk=None):
        meeting = self.get_object()
        body = s.AttendeesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.attendees_set(
            actor=request.user, meeting_id=meeting.pk, users=body.validated_data["attendees"]
        )
        return self._done(meeting.pk)

    @extend_schema(request=s.AgendaAddSerializer)
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        meeting = self.get_object()
        body = s.AgendaAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agenda_add(
            actor=request.user, meeting_id=meeting.pk, issue_ids=body.validated_data["issues"]
        )
        return self._done(meeting.pk)

    @extend_schema(parameters=[s.CandidatesSerializer], responses=IssueSerializer(many=True))
    @action(detail=True, methods=["get"])
    def candidates(self, request, pk=None):
        """The open issues the agenda builder previews: by `order`, `department`, `older_than` days."""
        meeting = self.get_object()
        query = s.CandidatesSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        order = None
        if "order" in data:
            order = Order.objects.restrict(request.user, "view").filter(pk=data["order"]).first()
            if order is None:
                raise NotFound
        issues = services.agenda_candidates(
            user=request.user,
            order=order,
            department=data.get("department"),
            older_than_days=data.get("older_than"),
            meeting=meeting,
        )[: services.AGENDA_MAX]
        return Response(IssueSerializer(issues, many=True).data)


class AgendaItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AgendaItemSerializer
    permission_classes = [MeetingPermission]
    queryset = AgendaItem.objects.none()
    filterset_fields = ["meeting"]

    def get_queryset(self):
        return (
            AgendaItem.objects.restrict(self.request.user, "view")
            .select_related("issue", "decided_by")
            .order_by("meeting_id", "position", "pk")
        )

    @extend_schema(request=s.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        item = self.get_object()
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.decision_record(actor=request.user, item_id=item.pk, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


class ActionItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ActionItemSerializer
    permission_classes = [MeetingPermission]
    queryset = ActionItem.objects.none()
    filterset_fields = ["meeting"]

    def get_queryset(self):
        return (
            ActionItem.objects.restrict(self.request.user, "view")
            .select_related("owner", "issue")
            .order_by("meeting_id", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting")
        if not Meeting.objects.restrict(self.request.user, "view").filter(pk=meeting.pk).exists():
            raise NotFound
        serializer.instance = services.action_add(actor=self.request.user, meeting_id=meeting.pk, **data)


def register(router) -> None:
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("meeting-agenda-items", AgendaItemViewSet, basename="agendaitem")
    router.register("meeting-actions", ActionItemViewSet, basename="actionitem")
