"""Need-to-know per field in the API: a field hidden from the user (core.fieldaccess) is left out of
what he reads and refused in what he writes; the schema marks such fields optional in responses."""

from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from gendan.core.fieldaccess import hidden_fields


class FieldAccessMixin:
    """For a ModelSerializer: the requesting user's hidden fields are not in `fields`, so they are
    neither serialised nor accepted as a sort key (DRF's OrderingFilter asks the fields)."""

    def hidden_fields(self) -> frozenset[str]:
        request = self.context.get("request")  # type: ignore[attr-defined]
        if request is None:
            return frozenset()
        return hidden_fields(getattr(request, "user", None), self.Meta.model)  # type: ignore[attr-defined]

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        for name in self.hidden_fields():
            fields.pop(name, None)
        return fields

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            refused = sorted(self.hidden_fields() & set(data))
            if refused:
                raise serializers.ValidationError(
                    {name: [_("Your role may not set this field.")] for name in refused}
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class FieldAccessSchema(OpenApiSerializerExtension):
    """A response may lack the fields some roles may not see: they are not required there."""

    target_class = FieldAccessMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        if direction == "response" and "required" in schema:
            protected = hidden_fields(AnonymousUser(), self.target.Meta.model)
            schema["required"] = [name for name in schema["required"] if name not in protected]
            if not schema["required"]:
                del schema["required"]
        return schema
