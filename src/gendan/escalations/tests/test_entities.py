"""Ladders, their levels and the rules get every generic check (list, detail, create, edit,
archive, history, export, API, and the role table for every role)."""

from gendan.escalations import views
from gendan.testing import EntityCase, EntityChecks


def _ladder(make):
    from gendan.escalations.models import Ladder

    return Ladder.objects.create(code=f"L{make.n():03}", name="路径")


def _level(make):
    from gendan.escalations.models import LadderLevel

    return LadderLevel.objects.create(
        ladder=_ladder(make), position=1, role="department_manager", climb_hours=4
    )


def _rule(make):
    from gendan.escalations.models import Rule

    level = _level(make)
    return Rule.objects.create(
        code=f"R{make.n():03}",
        name="逾期",
        kind="overdue",
        threshold=100 + make.n(),
        ladder=level.ladder,
        level=1,
    )


class TestEscalationEntities(EntityChecks):
    modules = (views,)
    cases = {
        "ladder": EntityCase(
            existing=_ladder,
            create=lambda make: {"code": f"LN{make.n()}", "name": "快速路径", "name_en": "Fast"},
            edit={"name": "慢速路径"},
        ),
        "level": EntityCase(
            existing=_level,
            create=lambda make: {
                "ladder": _ladder(make),
                "position": 1,
                "role": "general_manager",
                "climb_hours": 2,
            },
            edit={"climb_hours": 6},
        ),
        "rule": EntityCase(
            existing=_rule,
            create=lambda make: {
                "code": f"RN{make.n()}",
                "name": "跨部门",
                "kind": "departments",
                "threshold": 10 + make.n(),
                "ladder": _level(make).ladder,
                "level": 1,
            },
            edit={"name": "多部门"},
        ),
    }
