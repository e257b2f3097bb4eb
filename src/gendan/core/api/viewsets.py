"""The API counterpart of core.crud: list/retrieve/create/update, archive, restore and history,
through the same selectors (restrict), filter sets and services as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from gendan.core.fieldaccess import redact_entries
from gendan.core.models import AuditEntry
from gendan.core.selectors import history_for

from .fieldaccess import FieldAccessMixin


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor_name", "source", "action", "object_repr", "changes", "note"]


class MasterRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    entity = None  # the EntityViews instance of the pages: same queryset, filters and services

    def get_queryset(self):
        return self.entity.queryset(self.request.user).order_by(self.entity.default_sort, "pk")

    def get_object(self):
        # A record is found by id whether archived or not (as on the pages): the list filters, with
        # their default of active records only, apply to lists, not to /<id>/ and its history.
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    @property
    def filterset_class(self):
        return self.entity.filterset_class

    def perform_create(self, serializer):
        serializer.instance = self.entity.create(
            actor=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = self.entity.update(
            actor=self.request.user, pk=serializer.instance.pk, data=dict(serializer.validated_data)
        )

    def _archive(self, request, pk, archived: bool):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        if not self.entity.model._default_manager.allows(request.user, obj, "archive"):
            raise PermissionDenied
        obj = self.entity.set_archived(actor=request.user, pk=obj.pk, archived=archived)
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._archive(request, pk, True)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._archive(request, pk, False)

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        obj = self.get_object()
        page = redact_entries(request.user, self.paginate_queryset(history_for(user=request.user, obj=obj)))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)


class MasterSerializer(FieldAccessMixin, serializers.ModelSerializer):
    """Archive state and timestamps are read-only: they change only through their own actions.
    Fields hidden from the user (the role table's FIELD_GROUPS) are left out and refused."""

    class Meta:
        read_only_fields = ["id", "is_archived", "created_at", "updated_at"]
