from django.utils.translation import gettext as _
from rest_framework import serializers

from gendan.core.api.viewsets import MasterSerializer

from .. import models as m


def _meta(model_, fields="__all__"):
    return type(
        "Meta",
        (),
        {"model": model_, "fields": fields, "read_only_fields": MasterSerializer.Meta.read_only_fields},
    )


class CustomerSerializer(MasterSerializer):
    Meta = _meta(m.Customer)


class CustomerContactSerializer(MasterSerializer):
    Meta = _meta(m.CustomerContact)


class DeliveryAddressSerializer(MasterSerializer):
    Meta = _meta(m.DeliveryAddress)


class ProductSerializer(MasterSerializer):
    Meta = _meta(m.Product)


class MaterialSerializer(MasterSerializer):
    Meta = _meta(m.Material)


class BomLineSerializer(MasterSerializer):
    Meta = _meta(m.BomLine)

    def validate(self, attrs):
        instance = self.instance
        material = attrs.get("component_material", getattr(instance, "component_material", None))
        product = attrs.get("component_product", getattr(instance, "component_product", None))
        if bool(material) == bool(product):
            raise serializers.ValidationError("Give either component_material or component_product.")
        return attrs


class RoutingOperationSerializer(MasterSerializer):
    Meta = _meta(m.RoutingOperation)

    def validate(self, attrs):
        # The same rule as the page form: an alternative is another work centre than the main one.
        instance = self.instance
        main = attrs.get("work_centre", getattr(instance, "work_centre", None))
        if "alternative_work_centres" in attrs:
            alternatives = attrs["alternative_work_centres"]
        else:
            alternatives = list(instance.alternative_work_centres.all()) if instance else []
        if main is not None and main in alternatives:
            raise serializers.ValidationError(
                {"alternative_work_centres": _("The main work centre cannot also be an alternative.")}
            )
        return attrs


class WorkCentreSerializer(MasterSerializer):
    Meta = _meta(m.WorkCentre)


class ShiftSerializer(MasterSerializer):
    Meta = _meta(m.Shift)


class CalendarDaySerializer(MasterSerializer):
    Meta = _meta(m.CalendarDay)


class SupplierSerializer(MasterSerializer):
    Meta = _meta(m.Supplier)


class SupplierContactSerializer(MasterSerializer):
    Meta = _meta(m.SupplierContact)


class SupplierMaterialSerializer(MasterSerializer):
    Meta = _meta(m.SupplierMaterial)
