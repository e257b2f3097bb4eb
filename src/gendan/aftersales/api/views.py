"""After-sales in the API (R-8.3): `/api/complaints/` (record, read; the steps `take/`,
`findings/`, `answer/`, `close/`, `reopen/`) and `/api/ratings/` (read; the merchandiser records
one). The same services and rules as the pages: 403, 404, 409 on a conflict, 400 naming the field.
The customer's rating link has no API: its page is all it opens."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from gendan.quality.models import CorrectiveAction

from .. import services, services_rating
from ..filters import ComplaintFilter, RatingFilter
from ..models import Complaint, Rating
from ..selectors import complaint_list, rating_list
from . import serializers as s


class ComplaintPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if not Complaint.objects.all().role_allows(request.user, "view"):
            return False
        if view.action == "create":
            return Complaint.objects.all().role_allows(request.user, "add")
        return True


class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ComplaintSerializer
    filterset_class = ComplaintFilter
    permission_classes = [ComplaintPermission]
    queryset = Complaint.objects.none()
    ordering_fields = ["received_on", "number", "status"]

    def get_queryset(self):
        return (
            complaint_list(user=self.request.user).prefetch_related("photos").order_by("-received_on", "-pk")
        )

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def perform_create(self, serializer):
        serializer.instance = services.complaint_create(actor=self.request.user, **serializer.validated_data)

    def _done(self, complaint_id: int, code: int = status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=complaint_id)).data, status=code)

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        complaint = self.get_object()
        services.complaint_take(actor=request.user, complaint_id=complaint.pk)
        return self._done(complaint.pk)

    @extend_schema(request=s.ComplaintFindingsSerializer)
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        complaint = self.get_object()
        data = self._body(s.ComplaintFindingsSerializer)
        if not Complaint.objects.allows(request.user, complaint, "investigate"):
            raise PermissionDenied
        action_id = data.pop("quality_action")
        if action_id is not None:
            data["quality_action"] = CorrectiveAction.objects.filter(
                pk=action_id, nonconformance__order_id=complaint.order_id
            ).first()
            if data["quality_action"] is None:
                raise ValidationError({"quality_action": [_("Choose a corrective action of this order.")]})
        services.complaint_investigate(actor=request.user, complaint_id=complaint.pk, **data)
        return self._done(complaint.pk)

    @extend_schema(request=s.ComplaintReplySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        complaint = self.get_object()
        services.complaint_answer(
            actor=request.user, complaint_id=complaint.pk, **self._body(s.ComplaintReplySerializer)
        )
        return self._done(complaint.pk)

    @extend_schema(request=s.ComplaintCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        complaint = self.get_object()
        services.complaint_close(
            actor=request.user, complaint_id=complaint.pk, **self._body(s.ComplaintCloseSerializer)
        )
        return self._done(complaint.pk)

    @extend_schema(request=s.ComplaintReopenSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        complaint = self.get_object()
        services.complaint_reopen(
            actor=request.user, complaint_id=complaint.pk, **self._body(s.ComplaintReopenSerializer)
        )
        return self._done(complaint.pk)


class RatingPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if not Rating.objects.all().role_allows(request.user, "view"):
            return False
        if view.action == "create":
            return Rating.objects.all().role_allows(request.user, "add")
        return True


class RatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.RatingSerializer
    filterset_class = RatingFilter
    permission_classes = [RatingPermission]
    queryset = Rating.objects.none()
    ordering_fields = ["rated_on", "score"]

    def get_queryset(self):
        return rating_list(user=self.request.user).order_by("-rated_on", "-pk")

    def perform_create(self, serializer):
        serializer.instance = services_rating.rating_record(
            actor=self.request.user, **serializer.validated_data
        )


def register(router) -> None:
    router.register("complaints", ComplaintViewSet, basename="complaint")
    router.register("ratings", RatingViewSet, basename="rating")
