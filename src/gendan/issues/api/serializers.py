from collections.abc import Mapping

from django.apps import apps
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.accounts.models import Department, User
from gendan.core.api.fieldaccess import FieldAccessMixin

from ..hooks import source_of
from ..models import Issue, IssueNote, MaintenanceRecord
from ..services.register import EDITABLE, TEXT_MAX


class RejectUnknownFields:
    """A misspelt field is an error, not silently dropped (R-8.4)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class IssueNoteSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = IssueNote
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = fields


class SourceRecordSerializer(serializers.Serializer):
    """The record an issue was opened from (a nonconformance, a supplier case, a meeting action)."""

    kind = serializers.CharField()
    id = serializers.IntegerField()
    api = serializers.CharField(help_text="The record in this API.")


class IssueSerializer(RejectUnknownFields, serializers.ModelSerializer):
    """Number, status, source and the workflow's stamps are read-only: they change only through
    the actions (accept, resolve, close, reopen). Order, operation, work centre and kind are given
    when the issue is opened; an update changes what the follow-up records."""

    order = serializers.PrimaryKeyRelatedField(
        queryset=apps.get_model("orders", "Order").objects.all(), required=False, allow_null=True
    )
    operation = serializers.PrimaryKeyRelatedField(
        queryset=apps.get_model("planning", "OrderOperation").objects.all(), required=False, allow_null=True
    )
    work_centre = serializers.PrimaryKeyRelatedField(
        queryset=apps.get_model("masterdata", "WorkCentre").objects.filter(is_archived=False),
        required=False,
        allow_null=True,
    )
    responsible_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_archived=False)
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    notes = IssueNoteSerializer(many=True, read_only=True)
    source_record = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = [
            "id",
            "number",
            "kind",
            "severity",
            "status",
            "source",
            "title",
            "description",
            "order",
            "operation",
            "work_centre",
            "cause",
            "solution",
            "responsible_department",
            "owner",
            "due_date",
            "blocks_from",
            "blocks_until",
            "opened_by",
            "opened_at",
            "resolved_at",
            "closed_by",
            "closed_at",
            "source_record",
            "notes",
        ]
        read_only_fields = [
            "id",
            "number",
            "status",
            "source",
            "opened_by",
            "opened_at",
            "resolved_at",
            "closed_by",
            "closed_at",
        ]
        extra_kwargs = {
            "description": {"max_length": TEXT_MAX},
            "cause": {"max_length": TEXT_MAX},
            "solution": {"max_length": TEXT_MAX},
        }

    @extend_schema_field(SourceRecordSerializer(allow_null=True))
    def get_source_record(self, obj: Issue) -> dict | None:
        ref = source_of(obj)  # read off the fingerprint: no query per issue
        return None if ref is None else {"kind": ref.kind, "id": ref.id, "api": ref.api}

    def validate(self, attrs):
        if self.instance is not None:
            # Sent back unchanged (a PUT of what was read) is fine; a different value is refused.
            fixed = sorted(
                name for name in attrs if name not in EDITABLE and attrs[name] != getattr(self.instance, name)
            )
            if fixed:
                raise serializers.ValidationError(
                    {name: [_("This field is set when the issue is opened.")] for name in fixed}
                )
        return attrs


class SolutionSerializer(serializers.Serializer):
    solution = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)


class IssueNoteAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX)


class MaintenanceRecordSerializer(FieldAccessMixin, RejectUnknownFields, serializers.ModelSerializer):
    work_centre = serializers.PrimaryKeyRelatedField(
        queryset=apps.get_model("masterdata", "WorkCentre").objects.filter(is_archived=False)
    )
    issue = serializers.PrimaryKeyRelatedField(
        queryset=Issue.objects.filter(kind="equipment"), required=False, allow_null=True
    )

    class Meta:
        model = MaintenanceRecord
        fields = [
            "id",
            "work_centre",
            "kind",
            "date",
            "description",
            "downtime_hours",
            "performed_by",
            "next_due",
            "issue",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["id", "recorded_by", "created_at"]
        extra_kwargs = {
            "description": {"max_length": TEXT_MAX},
            "downtime_hours": {"min_value": 0, "max_value": 100000},
        }
