"""The delivery API (R-8.3), with the pages' rules: shipments (list, read, arrange with lines,
confirm, ship, cancel) and proofs of delivery (record with the upload, read)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from .. import services, services_pod
from ..filters import ShipmentFilter
from ..models import ProofOfDelivery, Shipment
from ..selectors import shipment_list
from . import serializers as s


class ReadsShipments(permissions.BasePermission):
    """Whoever may read shipments reaches the endpoints; each step's service asks its own action
    (arrange and confirm: the order's merchandiser; ship and record delivery: logistics)."""

    def has_permission(self, request, view):
        return Shipment.objects.all().role_allows(request.user, "view")


class ShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DeliveryShipmentSerializer
    filterset_class = ShipmentFilter
    queryset = Shipment.objects.none()
    permission_classes = [ReadsShipments]
    ordering_fields = ["planned_at", "created_at", "id"]

    def get_queryset(self):
        return shipment_list(user=self.request.user)

    def _fresh(self, pk) -> Response:
        return Response(self.get_serializer(shipment_list(user=self.request.user).get(pk=pk)).data)

    @extend_schema(request=s.DeliveryShipmentCreateSerializer, responses={201: s.DeliveryShipmentSerializer})
    def create(self, request):
        body = s.DeliveryShipmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        shipment = services.shipment_create(
            actor=request.user,
            order=data["order"],
            lines=[(line["order_line"], line["quantity"]) for line in data["lines"]],
            method=data["method"],
            address=data.get("address"),
            planned_at=data["planned_at"],
            place=data["place"],
            notes=data["notes"],
        )
        response = self._fresh(shipment.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _step(self, request, body_class, service) -> Response:
        """A workflow step: the shipment as the reader may see it, the body checked, the service."""
        shipment = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        service(actor=request.user, shipment_id=shipment.pk, **body.validated_data)
        return self._fresh(shipment.pk)

    @extend_schema(request=s.DeliveryConfirmSerializer, responses={200: s.DeliveryShipmentSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._step(request, s.DeliveryConfirmSerializer, services.shipment_confirm)

    @extend_schema(request=s.DeliveryShipSerializer, responses={200: s.DeliveryShipmentSerializer})
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        return self._step(request, s.DeliveryShipSerializer, services.shipment_ship)

    @extend_schema(request=s.DeliveryCancelSerializer, responses={200: s.DeliveryShipmentSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(request, s.DeliveryCancelSerializer, services.shipment_cancel)


class ProofOfDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DeliveryProofSerializer
    queryset = ProofOfDelivery.objects.none()
    permission_classes = [ReadsShipments]
    parser_classes = [MultiPartParser, FormParser]
    ordering_fields = ["signed_at", "id"]

    def get_queryset(self):
        return ProofOfDelivery.objects.restrict(self.request.user, "view").order_by("-signed_at", "-pk")

    @extend_schema(
        request={"multipart/form-data": s.DeliveryProofCreateSerializer},
        responses={201: s.DeliveryProofSerializer},
    )
    def create(self, request):
        body = s.DeliveryProofCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # A proof posted for another order's shipment (or one he does not see) is not there.
        shipments = shipment_list(user=request.user).filter(pk=data["shipment"])
        if data.get("order") is not None:
            shipments = shipments.filter(order_id=data["order"])
        if not shipments.exists():
            raise Http404
        received = {
            int(k[9:]): v for k, v in request.data.items() if k.startswith("received_") and k[9:].isdigit()
        }
        damaged = {
            int(k[8:]): v for k, v in request.data.items() if k.startswith("damaged_") and k[8:].isdigit()
        }
        proof = services_pod.delivery_record(
            actor=request.user,
            shipment_id=data["shipment"],
            order_id=data.get("order"),
            upload=data["file"],
            signed_by=data["signed_by"],
            signed_at=data.get("signed_at"),
            note=data["note"],
            received=received,
            damaged=damaged,
        )
        return Response(self.get_serializer(proof).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("shipments", ShipmentViewSet, basename="shipment")
    router.register("proofs-of-delivery", ProofOfDeliveryViewSet, basename="proofofdelivery")
