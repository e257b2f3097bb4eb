"""The board's API (R-4.1, R-8.3): the progress board's rows as JSON for whoever may see orders,
and the administrator's board links (list, create: the token is returned once, revoke)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from gendan.masterdata.models import WorkCentre
from gendan.orders.models import Order

from ..board import RISK_RANK, board_payload, progress_board
from ..choices import BoardScope
from ..models import BoardLink
from ..services_board import board_link_create, board_link_revoke
from ..views_board import BadParam, parse_filters

STATES = ["done", "running", "late", "pending"]


class BoardOperationSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=STATES)
    state_label = serializers.CharField()
    work_centre = serializers.CharField(allow_blank=True)
    good = serializers.CharField()
    quantity = serializers.CharField()
    planned_start = serializers.CharField(allow_null=True)
    planned_finish = serializers.CharField(allow_null=True)


class BoardRowSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField()
    customer = serializers.CharField(allow_blank=True)
    merchandiser = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    products = serializers.ListField(child=serializers.CharField())
    quantity = serializers.CharField()
    good = serializers.CharField()
    progress_pct = serializers.IntegerField(min_value=0, max_value=100)
    operations_done = serializers.IntegerField()
    operations_total = serializers.IntegerField()
    delivery_date = serializers.CharField(allow_null=True)
    planned_finish = serializers.CharField(allow_null=True)
    risk = serializers.ChoiceField(choices=list(RISK_RANK))
    risk_label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    operations = BoardOperationSerializer(many=True)


class BoardCountsSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()
    done = serializers.IntegerField()


class BoardSerializer(serializers.Serializer):
    kind = serializers.CharField()
    generated_at = serializers.CharField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    counts = BoardCountsSerializer()
    rows = BoardRowSerializer(many=True)


class SeeOrders(permissions.BasePermission):
    def has_permission(self, request, view):
        return Order.objects.all().role_allows(request.user, "view")


_FILTERS = [
    OpenApiParameter("wc", str, description="Work centre code: orders with an operation planned on it"),
    OpenApiParameter("merchandiser", int, description="Merchandiser (user id)"),
    OpenApiParameter("customer", int, description="Customer id"),
    OpenApiParameter("page", int, description="Page (25 orders each), late and at-risk orders first"),
]


class OneBoard(AutoSchema):
    """GET /api/board/ answers one object (counts and rows), not a list of boards."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class BoardViewSet(viewsets.GenericViewSet):
    """The progress board: open orders with progress per operation and delivery risk."""

    schema = OneBoard()

    permission_classes = [SeeOrders]
    queryset = Order.objects.none()
    serializer_class = BoardSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(parameters=_FILTERS, responses=BoardSerializer)
    def list(self, request):
        try:
            filters, page = parse_filters(request.query_params)
        except BadParam as exc:
            raise ApiValidationError({str(exc): ["Not a valid value."]}) from None
        board = progress_board(Order.objects.all().restrict(request.user, "view"), filters=filters, page=page)
        payload = board_payload(board) | {"page": board.page, "pages": board.pages}
        return Response(BoardSerializer(payload).data)


class BoardLinkSerializer(serializers.ModelSerializer):
    work_centre = serializers.PrimaryKeyRelatedField(
        queryset=WorkCentre.objects.filter(is_archived=False), allow_null=True, required=False
    )
    scope = serializers.ChoiceField(choices=BoardScope.choices, default=BoardScope.FACTORY)

    class Meta:
        model = BoardLink
        fields = ["id", "name", "scope", "work_centre", "created_at", "last_seen_at", "revoked_at"]
        read_only_fields = ["id", "created_at", "last_seen_at", "revoked_at"]
        extra_kwargs = {"name": {"max_length": 100}}


class NewBoardLinkSerializer(BoardLinkSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once: only its SHA-256 is stored.")
    url = serializers.CharField(read_only=True, help_text="The screen's address, with the token.")

    class Meta(BoardLinkSerializer.Meta):
        fields = [*BoardLinkSerializer.Meta.fields, "token", "url"]
        read_only_fields = [*BoardLinkSerializer.Meta.read_only_fields, "token", "url"]


class BoardLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only board links for wall screens (administrators)."""

    serializer_class = BoardLinkSerializer
    queryset = BoardLink.objects.none()

    def get_queryset(self):
        return BoardLink.objects.all().restrict(self.request.user, "view").order_by("-created_at", "-pk")

    @extend_schema(request=BoardLinkSerializer, responses={201: NewBoardLinkSerializer})
    def create(self, request):
        serializer = BoardLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        link, token = board_link_create(
            actor=request.user,
            name=data["name"],
            scope=data.get("scope", BoardScope.FACTORY),
            work_centre=data.get("work_centre"),
        )
        body = NewBoardLinkSerializer(link).data | {
            "token": token,
            "url": request.build_absolute_uri(f"/tv/{token}/"),
        }
        return Response(body, status=201)

    @extend_schema(request=None, responses=BoardLinkSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        link = get_object_or_404(self.get_queryset(), pk=pk)
        if not request.user.has_perm("shopfloor.change_boardlink"):
            raise PermissionDenied()
        link = board_link_revoke(actor=request.user, link_id=link.pk)
        return Response(BoardLinkSerializer(link).data)


def register(router) -> None:
    router.register("board", BoardViewSet, basename="board")
    router.register("board-links", BoardLinkViewSet, basename="boardlink")
