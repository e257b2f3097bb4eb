"""Escalation API (R-8.3): ladders, levels and rules (the pages' EntityViews, same services and
refusals), escalations read through the inbox's selector and filter set, `POST escalations/` to
escalate an issue by hand (with a reason) and `POST escalations/<id>/acknowledge/`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from gendan.core.api.viewsets import MasterRecordViewSet
from gendan.issues.models import Issue

from .. import services
from .. import views as pages
from ..filters import EscalationFilter
from ..models import Escalation
from ..selectors import escalation_list, may_escalate
from . import serializers as s


class EscalationPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return Escalation.objects.all().role_allows(request.user, "view")


class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Escalations: by default the open ones told to the reader (`mine=all`, `state=all` widen it)."""

    serializer_class = s.EscalationSerializer
    permission_classes = [EscalationPermission]
    filterset_class = EscalationFilter
    queryset = Escalation.objects.none()
    ordering_fields = ["created_at", "climbs_at", "id"]

    def get_queryset(self):
        return escalation_list(user=self.request.user)

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(escalation_list(user=self.request.user).get(pk=pk)).data, status=code
        )

    @extend_schema(request=s.EscalateSerializer, responses={201: s.EscalationSerializer})
    def create(self, request):
        """Escalate an issue by hand, with a reason (whoever is involved in the issue)."""
        if not Escalation.objects.all().role_allows(request.user, "add"):
            raise PermissionDenied
        body = s.EscalateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        issue = get_object_or_404(
            Issue.objects.restrict(request.user, "view"), pk=body.validated_data["issue"]
        )
        if not may_escalate(request.user, issue):
            raise PermissionDenied
        try:
            created = services.escalation_raise(
                actor=request.user,
                issue_id=issue.pk,
                reason=body.validated_data["reason"],
                level_id=body.validated_data["level"],
            )
        except Issue.DoesNotExist:
            raise NotFound from None
        except DjangoPermissionDenied:
            raise PermissionDenied from None
        return self._answer(created.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.EscalationAcknowledgeSerializer, responses={200: s.EscalationSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        escalation = self.get_object()  # 404 for one he may not see
        if not Escalation.objects.all().role_allows(request.user, "acknowledge"):
            raise PermissionDenied
        body = s.EscalationAcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.escalation_acknowledge(
                actor=request.user, escalation_id=escalation.pk, note=body.validated_data["note"]
            )
        except DjangoPermissionDenied:
            raise PermissionDenied from None
        return self._answer(escalation.pk)


def _entity_viewset(name, entity, serializer):
    return type(
        name,
        (MasterRecordViewSet,),
        {"entity": entity, "serializer_class": serializer, "queryset": entity.model.objects.none()},
    )


LadderViewSet = _entity_viewset("LadderViewSet", pages.ladders, s.LadderSerializer)
LadderLevelViewSet = _entity_viewset("LadderLevelViewSet", pages.levels, s.LadderLevelSerializer)
RuleViewSet = _entity_viewset("RuleViewSet", pages.rules, s.RuleSerializer)


def register(router) -> None:
    router.register("escalations", EscalationViewSet, basename="escalation")
    router.register("escalation-ladders", LadderViewSet, basename="escalationladder")
    router.register("escalation-levels", LadderLevelViewSet, basename="escalationlevel")
    router.register("escalation-rules", RuleViewSet, basename="escalationrule")
