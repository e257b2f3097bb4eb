from gendan.core.api.viewsets import MasterRecordViewSet

from .. import views as pages
from . import serializers as s


def _viewset(entity, serializer):
    name = f"{entity.model.__name__}ViewSet"
    return type(
        name,
        (MasterRecordViewSet,),
        {"entity": entity, "serializer_class": serializer, "queryset": entity.model.objects.none()},
    )


CustomerViewSet = _viewset(pages.customers, s.CustomerSerializer)
CustomerContactViewSet = _viewset(pages.contacts, s.CustomerContactSerializer)
DeliveryAddressViewSet = _viewset(pages.addresses, s.DeliveryAddressSerializer)
ProductViewSet = _viewset(pages.products, s.ProductSerializer)
MaterialViewSet = _viewset(pages.materials, s.MaterialSerializer)
BomLineViewSet = _viewset(pages.bom_lines, s.BomLineSerializer)
RoutingOperationViewSet = _viewset(pages.operations, s.RoutingOperationSerializer)
WorkCentreViewSet = _viewset(pages.work_centres, s.WorkCentreSerializer)
ShiftViewSet = _viewset(pages.shifts, s.ShiftSerializer)
CalendarDayViewSet = _viewset(pages.calendar_days, s.CalendarDaySerializer)
SupplierViewSet = _viewset(pages.suppliers, s.SupplierSerializer)
SupplierContactViewSet = _viewset(pages.supplier_contacts, s.SupplierContactSerializer)
SupplierMaterialViewSet = _viewset(pages.supplier_materials, s.SupplierMaterialSerializer)


def register(router) -> None:
    router.register("customers", CustomerViewSet, basename="customer")
    router.register("customer-contacts", CustomerContactViewSet, basename="customercontact")
    router.register("delivery-addresses", DeliveryAddressViewSet, basename="deliveryaddress")
    router.register("products", ProductViewSet, basename="product")
    router.register("materials", MaterialViewSet, basename="material")
    router.register("bom-lines", BomLineViewSet, basename="bomline")
    router.register("routing-operations", RoutingOperationViewSet, basename="routingoperation")
    router.register("work-centres", WorkCentreViewSet, basename="workcentre")
    router.register("shifts", ShiftViewSet, basename="shift")
    router.register("calendar-days", CalendarDayViewSet, basename="calendarday")
    router.register("suppliers", SupplierViewSet, basename="supplier")
    router.register("supplier-contacts", SupplierContactViewSet, basename="suppliercontact")
    router.register("supplier-materials", SupplierMaterialViewSet, basename="suppliermaterial")
