from rest_framework import mixins, viewsets

from gendan.core.api.viewsets import MasterRecordViewSet

from .. import views as pages
from . import serializers as s


class WarehouseViewSet(MasterRecordViewSet):
    entity = pages.warehouses
    serializer_class = s.WarehouseSerializer
    queryset = pages.warehouses.model.objects.none()


class StockLevelViewSet(viewsets.ReadOnlyModelViewSet):
    """Balances: read-only; they change only through stock movements."""

    serializer_class = s.StockLevelSerializer
    filterset_class = pages.stock_levels.filterset_class
    queryset = pages.stock_levels.model.objects.none()

    def get_queryset(self):
        return pages.stock_levels.queryset(self.request.user).order_by("pk")


class StockMovementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The stock ledger: list, read, and post new movements. Movements are never edited."""

    serializer_class = s.StockMovementSerializer
    filterset_class = pages.movements.filterset_class
    queryset = pages.movements.model.objects.none()

    def get_queryset(self):
        return pages.movements.queryset(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        serializer.instance = pages.movements.create(
            actor=self.request.user, data=dict(serializer.validated_data)
        )


def register(router) -> None:
    router.register("warehouses", WarehouseViewSet, basename="warehouse")
    router.register("stock-levels", StockLevelViewSet, basename="stocklevel")
    router.register("stock-movements", StockMovementViewSet, basename="stockmovement")
