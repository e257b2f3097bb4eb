"""Filter sets of escalation, each serving its page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet, MasterFilterSet

from .choices import LIVE_STATES, EscalationStatus, LevelRole, ReasonKind, RuleKind
from .models import Escalation, Ladder, LadderLevel, Rule

ID_MAX = 2**63 - 1


class LadderFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en")

    class Meta:
        model = Ladder
        fields = ["q", "archived"]


class LadderLevelFilter(MasterFilterSet):
    search_fields = ("ladder__code", "ladder__name")
    role = django_filters.ChoiceFilter(label=_("Who is told"), choices=LevelRole.choices)

    class Meta:
        model = LadderLevel
        fields = ["q", "archived", "ladder", "role"]


class RuleFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en")
    kind = django_filters.ChoiceFilter(label=_("When"), choices=RuleKind.choices)

    class Meta:
        model = Rule
        fields = ["q", "archived", "kind", "ladder"]


class EscalationFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Issue"), method="filter_q", max_length=100)
    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("live", _("Open escalations")), ("all", _("All escalations"))],
        method="filter_state",
        empty_label=None,
    )
    mine = django_filters.ChoiceFilter(
        label=_("Whose"),
        choices=[("mine", _("Told to me")), ("all", _("All I may see"))],
        method="filter_mine",
        empty_label=None,
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EscalationStatus.choices)
    role = django_filters.ChoiceFilter(label=_("Level"), choices=LevelRole.choices)
    reason_kind = django_filters.ChoiceFilter(label=_("How escalated"), choices=ReasonKind.choices)
    issue = django_filters.NumberFilter(
        label=_("Issue (id)"), field_name="issue_id", min_value=1, max_value=ID_MAX
    )
    order = django_filters.NumberFilter(
        label=_("Order (id)"), field_name="issue__order_id", min_value=1, max_value=ID_MAX
    )

    class Meta:
        model = Escalation
        fields = ["q", "state", "mine", "status", "role", "reason_kind", "issue", "order"]

    def __init__(self, data=None, *args, **kwargs):
        # Unfiltered, the inbox shows the open escalations told to the reader.
        if data is not None:
            data = data.copy()
            data.setdefault("state", "live")
            data.setdefault("mine", "mine")
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(issue__number__icontains=value)
            | Q(issue__title__icontains=value)
            | Q(issue__order__number__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(status__in=LIVE_STATES) if value == "live" else queryset

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value == "mine" and user is not None:
            return queryset.filter(notified=user)
        return queryset
