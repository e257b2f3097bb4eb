import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.escalations.choices import LevelRole
from gendan.escalations.models import Ladder, LadderLevel, Rule
from gendan.issues.tests.factories import IssueFactory


class Setup:
    """The standard ladder (department manager 4 h → production manager 8 h → general manager),
    the department managers, and issues the purchasing department is responsible for."""

    def __init__(self, make, users, departments):
        self.users, self.departments = users, departments
        self.f = IssueFactory(make, users, departments)
        for kind, role in (
            ("purchasing", "purchasing"),
            ("production", "production"),
            ("management", "management"),
        ):
            Department.objects.filter(pk=departments[kind].pk).update(manager=users[role])
        Ladder.objects.all().update(is_default=False, is_archived=True)
        self.ladder = Ladder.objects.create(code="T-STD", name="标准", is_default=True)
        self.levels = [
            LadderLevel.objects.create(ladder=self.ladder, position=pos, role=role, climb_hours=hours)
            for pos, role, hours in (
                (1, LevelRole.DEPARTMENT_MANAGER, 4),
                (2, LevelRole.PRODUCTION_MANAGER, 8),
                (3, LevelRole.GENERAL_MANAGER, 24),
            )
        ]

    def rule(self, kind, *, code=None, level=1, **kw) -> Rule:
        return Rule.objects.create(
            code=code or f"R-{kind}-{Rule.objects.count() + 1}",
            name="规则",
            kind=kind,
            ladder=self.ladder,
            level=level,
            **kw,
        )

    def issue(self, *, actor=None, **kw):
        kw.setdefault("responsible_department", self.departments["purchasing"])
        return self.f.issue(actor=actor or self.users["production"], **kw)

    def past_due(self, days: int):
        return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def s(make, users, departments):
    return Setup(make, users, departments)
