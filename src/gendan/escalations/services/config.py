"""Ladders, their levels and the rules (R-4.4), written through core's generic record services with
the checks that span records: a set-up that would loop is refused with a message saying why.

Loops refused: a level that is not above the one below it (the same person twice, or pointing back
down), a level passed up after zero hours (it would climb at once, for ever), two active rules with
the same condition (they would escalate the same issues again and again), a rule naming a level its
ladder does not have (also when the level moves to another ladder), one default ladder at most.
A climb time beyond a year is refused too: no escalation waits that long, and the time it would
climb at is past any date the database holds (the tick would fail on it every five minutes).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core import services as core_services

from ..choices import ROLE_RANK, LevelRole, RuleKind
from ..models import Ladder, LadderLevel, Rule

# The smallest threshold that makes sense for each kind (days, departments, days late).
MIN_THRESHOLD = {RuleKind.OVERDUE: 1, RuleKind.DEPARTMENTS: 2, RuleKind.DELIVERY_RISK: 1}
MAX_THRESHOLD = 3650
MAX_CLIMB_HOURS = 24 * 365


def ladder_check(ladder: Ladder) -> None:
    """The ladder's active levels climb: distinct positions, each role above the one below, hours > 0."""
    levels = list(ladder.levels.filter(is_archived=False).order_by("position", "pk"))
    previous: LadderLevel | None = None
    for level in levels:
        if level.climb_hours < 1:
            raise ValidationError(
                {
                    "climb_hours": _(
                        "Level %(n)s would be passed up after 0 hours: it would climb at once, in a "
                        "loop. Give at least 1 hour."
                    )
                    % {"n": level.position}
                }
            )
        if level.climb_hours > MAX_CLIMB_HOURS:
            raise ValidationError(
                {
                    "climb_hours": _("Level %(n)s: give at most %(max)s hours (a year).")
                    % {"n": level.position, "max": MAX_CLIMB_HOURS}
                }
            )
        if previous is not None:
            if previous.position == level.position:
                raise ValidationError(
                    {
                        "position": _("Ladder %(ladder)s has two levels %(n)s.")
                        % {"ladder": ladder.code, "n": level.position}
                    }
                )
            if ROLE_RANK[level.role] <= ROLE_RANK[previous.role]:
                raise ValidationError(
                    {
                        "role": _(
                            "A ladder climbs: level %(n)s (%(role)s) cannot come after level %(m)s "
                            "(%(below)s); it would point back down, in a loop."
                        )
                        % {
                            "n": level.position,
                            "role": LevelRole(level.role).label,
                            "m": previous.position,
                            "below": LevelRole(previous.role).label,
                        }
                    }
                )
        previous = level
    if not levels and ladder.rules.filter(is_archived=False).exists():
        raise ValidationError(
            _("Ladder %(ladder)s is named by a rule: it needs at least one level.") % {"ladder": ladder.code}
        )
    if ladder.is_default and not ladder.is_archived:
        other = Ladder.objects.filter(is_default=True, is_archived=False).exclude(pk=ladder.pk).first()
        if other is not None:
            raise ValidationError(
                {"is_default": _("Ladder %(other)s is already the default.") % {"other": other.code}}
            )
    if ladder.is_archived and ladder.rules.filter(is_archived=False).exists():
        raise ValidationError(_("Active rules name this ladder: archive or change them first."))


def rule_check(rule: Rule) -> None:
    if rule.is_archived:
        return
    if rule.kind == RuleKind.SEVERITY:
        if not rule.min_severity:
            raise ValidationError({"min_severity": _("Choose the severity from which issues are escalated.")})
    else:
        low = MIN_THRESHOLD[RuleKind(rule.kind)]
        if rule.threshold is None or not low <= rule.threshold <= MAX_THRESHOLD:
            raise ValidationError(
                {
                    "threshold": _("Give a threshold from %(low)s to %(high)s.")
                    % {"low": low, "high": MAX_THRESHOLD}
                }
            )
    if rule.ladder.is_archived:
        raise ValidationError({"ladder": _("This ladder is archived.")})
    if not rule.ladder.levels.filter(is_archived=False, position=rule.level).exists():
        raise ValidationError(
            {
                "level": _("Ladder %(ladder)s has no level %(n)s.")
                % {"ladder": rule.ladder.code, "n": rule.level}
            }
        )
    same = Rule.objects.filter(is_archived=False, kind=rule.kind).exclude(pk=rule.pk)
    same = (
        same.filter(min_severity=rule.min_severity)
        if rule.kind == RuleKind.SEVERITY
        else same.filter(threshold=rule.threshold)
    )
    twin = same.first()
    if twin is not None:
        raise ValidationError(
            _(
                "Rule %(other)s already escalates the same issues: two such rules would escalate the "
                "same issue again and again. Change that rule instead."
            )
            % {"other": twin.code}
        )


def _rules_of(ladder_id: int) -> None:
    for rule in Rule.objects.filter(ladder_id=ladder_id, is_archived=False).select_related("ladder"):
        rule_check(rule)


def _checked(write, check) -> Any:
    """Write, then check the whole set-up as it now is; a refusal rolls the write back."""
    with transaction.atomic():
        obj = write()
        check(obj)
    return obj


def ladder_save(*, actor, data: dict[str, Any], pk: Any = None) -> Ladder:
    def write() -> Any:
        if pk is None:
            return core_services.record_create(actor=actor, model=Ladder, data=data)
        return core_services.record_update(actor=actor, model=Ladder, pk=pk, data=data)

    return _checked(write, ladder_check)


def level_save(*, actor, data: dict[str, Any], pk: Any = None) -> LadderLevel:
    # The ladder the level was on: moved to another, it may leave a rule naming it behind.
    before = (
        None if pk is None else LadderLevel.objects.filter(pk=pk).values_list("ladder_id", flat=True).first()
    )

    def write() -> Any:
        if pk is None:
            return core_services.record_create(actor=actor, model=LadderLevel, data=data)
        return core_services.record_update(actor=actor, model=LadderLevel, pk=pk, data=data)

    def check(level):
        ladder_check(level.ladder)
        _rules_of(level.ladder_id)
        if before is not None and before != level.ladder_id:
            ladder_check(Ladder.objects.get(pk=before))
            _rules_of(before)

    return _checked(write, check)


def rule_save(*, actor, data: dict[str, Any], pk: Any = None) -> Rule:
    def write() -> Any:
        if pk is None:
            return core_services.record_create(actor=actor, model=Rule, data=data)
        return core_services.record_update(actor=actor, model=Rule, pk=pk, data=data)

    return _checked(write, rule_check)


def set_archived(*, actor, model, pk: Any, archived: bool):
    def write() -> Any:
        return core_services.record_set_archived(actor=actor, model=model, pk=pk, archived=archived)

    def check(obj):
        if model is Ladder:
            ladder_check(obj)
        elif model is LadderLevel:
            ladder_check(obj.ladder)
            _rules_of(obj.ladder_id)
        else:
            rule_check(obj)

    return _checked(write, check)


DEFAULT_LADDER = ("STD", "标准升级路径", "Standard ladder")
DEFAULT_LEVELS = (
    (1, LevelRole.DEPARTMENT_MANAGER, 4),
    (2, LevelRole.PRODUCTION_MANAGER, 8),
    (3, LevelRole.GENERAL_MANAGER, 24),
)
