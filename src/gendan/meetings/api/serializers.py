from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

from gendan.accounts.models import Department, User

from ..models import ActionItem, AgendaItem, Meeting
from ..services import PLACE_MAX, TEXT_MAX, TITLE_MAX

ID_MAX = 2**63 - 1


class RejectUnknownFields:
    """A misspelt field is an error, not silently dropped (R-8.4)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
            fixed = sorted(
                name
                for name in data
                if self.fields[name].read_only
                and (
                    self.instance is None
                    or data[name]
                    != self.fields[name].to_representation(self.fields[name].get_attribute(self.instance))
                )
            )
            if fixed:
                raise serializers.ValidationError(
                    {name: [_("This field is not set here.")] for name in fixed}
                )
        return super().to_internal_value(data)


def _people():
    return User.objects.filter(is_active=True)


class AgendaItemSerializer(serializers.ModelSerializer):
    issue_number = serializers.CharField(source="issue.number", read_only=True)
    issue_title = serializers.CharField(source="issue.title", read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "issue",
            "issue_number",
            "issue_title",
            "position",
            "decision",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ActionItemSerializer(RejectUnknownFields, serializers.ModelSerializer):
    """An action is recorded once; it is followed up through its issue (`issue`)."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=_people())
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True
    )
    issue_number = serializers.CharField(source="issue.number", read_only=True, default=None)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "agenda_item",
            "text",
            "owner",
            "due_date",
            "issue",
            "issue_number",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "issue", "issue_number", "created_by", "created_at"]
        extra_kwargs = {"text": {"max_length": TEXT_MAX}}


class MeetingSerializer(RejectUnknownFields, serializers.ModelSerializer):
    """Number, status and the steps' stamps are read-only: they change through the actions (hold,
    send-minutes). Attendees are given when the meeting is called, then through `attendees`."""

    chair = serializers.PrimaryKeyRelatedField(queryset=_people(), required=False)
    attendees = serializers.PrimaryKeyRelatedField(queryset=_people(), many=True, required=False)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    actions = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "number",
            "title",
            "held_on",
            "place",
            "chair",
            "status",
            "attendees",
            "agenda",
            "actions",
            "created_by",
            "created_at",
            "held_at",
            "minutes_sent_at",
        ]
        read_only_fields = [
            "id",
            "number",
            "status",
            "created_by",
            "created_at",
            "held_at",
            "minutes_sent_at",
        ]
        extra_kwargs = {"title": {"max_length": TITLE_MAX}, "place": {"max_length": PLACE_MAX}}

    def validate(self, attrs):
        if self.instance is not None and "attendees" in attrs:
            raise serializers.ValidationError({"attendees": [_("Record attendees through `attendees/`.")]})
        return attrs


class AttendeesSerializer(serializers.Serializer):
    attendees = serializers.PrimaryKeyRelatedField(queryset=_people(), many=True)


class AgendaAddSerializer(serializers.Serializer):
    issues = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), min_length=1, max_length=100
    )


class CandidatesSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, max_value=ID_MAX, required=False)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_archived=False), required=False
    )
    older_than = serializers.IntegerField(min_value=0, max_value=3650, required=False)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=TEXT_MAX)
    due_date = serializers.DateField(required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=_people(), required=False, allow_null=True)
