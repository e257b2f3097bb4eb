"""The set-up of escalation (R-4.4): a ladder that would loop, a climb time of zero, two rules that
would escalate the same issues again and again are refused with a message saying why."""

import pytest
from django.core.exceptions import ValidationError

from gendan.escalations.choices import LevelRole, RuleKind
from gendan.escalations.models import Ladder, LadderLevel, Rule
from gendan.escalations.services import ladder_save, level_save, rule_save, set_archived

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_level_pointing_back_down_is_refused(s, users):
    with pytest.raises(ValidationError, match="point back down"):
        level_save(
            actor=users["management"],
            data={"ladder": s.ladder, "position": 4, "role": LevelRole.DEPARTMENT_MANAGER, "climb_hours": 2},
        )
    assert s.ladder.levels.count() == 3


def test_the_same_person_twice_on_a_ladder_is_refused(s, users):
    with pytest.raises(ValidationError, match="loop"):
        level_save(actor=users["management"], pk=s.levels[1].pk, data={"role": LevelRole.DEPARTMENT_MANAGER})


def test_a_climb_time_of_zero_is_refused(s, users):
    with pytest.raises(ValidationError) as caught:
        level_save(actor=users["management"], pk=s.levels[0].pk, data={"climb_hours": 0})
    assert "climb_hours" in caught.value.message_dict
    assert LadderLevel.objects.get(pk=s.levels[0].pk).climb_hours == 4


def test_two_rules_escalating_the_same_issues_are_refused(s, users):
    s.rule(RuleKind.SEVERITY, code="A", min_severity="high")
    data = {
        "code": "B",
        "name": "重复",
        "kind": RuleKind.SEVERITY,
        "min_severity": "high",
        "ladder": s.ladder,
        "level": 2,
    }
    with pytest.raises(ValidationError, match="again and again"):
        rule_save(actor=users["management"], data=data)
    assert not Rule.objects.filter(code="B").exists()
    rule_save(actor=users["management"], data=data | {"min_severity": "critical"})  # another condition: fine


def test_a_rule_to_a_level_the_ladder_has_not_is_refused_and_so_is_archiving_its_level(s, users):
    data = {
        "code": "X",
        "name": "x",
        "kind": RuleKind.OVERDUE,
        "threshold": 2,
        "ladder": s.ladder,
        "level": 5,
    }
    with pytest.raises(ValidationError, match="no level 5"):
        rule_save(actor=users["management"], data=data)
    rule_save(actor=users["management"], data=data | {"level": 3})
    with pytest.raises(ValidationError, match="no level 3"):
        set_archived(actor=users["management"], model=LadderLevel, pk=s.levels[2].pk, archived=True)
    assert not LadderLevel.objects.get(pk=s.levels[2].pk).is_archived


def test_thresholds_are_checked_per_kind(s, users):
    base = {"code": "T", "name": "t", "ladder": s.ladder, "level": 1}
    with pytest.raises(ValidationError, match="from 2"):
        rule_save(actor=users["management"], data=base | {"kind": RuleKind.DEPARTMENTS, "threshold": 1})
    with pytest.raises(ValidationError) as caught:
        rule_save(actor=users["management"], data=base | {"kind": RuleKind.SEVERITY})
    assert "min_severity" in caught.value.message_dict


def test_one_default_ladder(s, users):
    with pytest.raises(ValidationError, match="already the default"):
        ladder_save(actor=users["management"], data={"code": "L2", "name": "二", "is_default": True})
    assert not Ladder.objects.filter(code="L2").exists()


def test_the_pages_say_why_a_loop_is_refused(s, client_for):
    response = client_for("management").post(
        "/escalations/level/new/",
        {"ladder": s.ladder.pk, "position": 4, "role": LevelRole.PRODUCTION_MANAGER, "climb_hours": 3},
    )
    assert response.status_code == 200
    assert "loop" in response.content.decode() or "循环" in response.content.decode()
    assert s.ladder.levels.count() == 3


def test_the_api_refuses_a_loop_with_a_400(s, api_for):
    response = api_for("management").patch(
        f"/api/escalation-levels/{s.levels[0].pk}/", {"climb_hours": 0}, format="json"
    )
    assert response.status_code == 400
    assert "climb_hours" in response.json()


def test_only_management_sets_up_escalation(s, client_for):
    assert client_for("production").get("/escalations/rule/new/").status_code == 403
    assert client_for("management").get("/escalations/rule/new/").status_code == 200


def test_moving_a_level_a_rule_names_to_another_ladder_is_refused(s, users):
    s.rule(RuleKind.SEVERITY, code="A", min_severity="high", level=3)
    other = Ladder.objects.create(code="L2", name="二")
    with pytest.raises(ValidationError, match="no level 3"):
        level_save(actor=users["management"], pk=s.levels[2].pk, data={"ladder": other})
    assert LadderLevel.objects.get(pk=s.levels[2].pk).ladder == s.ladder
    assert not other.levels.exists()


def test_a_climb_time_past_a_year_is_refused_before_it_breaks_the_tick(s, users):
    from gendan.escalations.models import Escalation
    from gendan.escalations.services import escalations_by_rule

    with pytest.raises(ValidationError) as caught:
        level_save(actor=users["management"], pk=s.levels[0].pk, data={"climb_hours": 2**31 - 1})
    assert "climb_hours" in caught.value.message_dict
    assert LadderLevel.objects.get(pk=s.levels[0].pk).climb_hours == 4
    level_save(actor=users["management"], pk=s.levels[0].pk, data={"climb_hours": 24 * 365})
    s.rule(RuleKind.SEVERITY, min_severity="high")
    s.issue(severity="high")
    escalations_by_rule()  # a year ahead is a date like any other
    assert Escalation.objects.get().climbs_at is not None


def test_the_api_refuses_a_climb_time_past_a_year_with_a_400(s, api_for):
    response = api_for("management").patch(
        f"/api/escalation-levels/{s.levels[0].pk}/", {"climb_hours": 2**31 - 1}, format="json"
    )
    assert response.status_code == 400 and "climb_hours" in response.json()
    assert LadderLevel.objects.get(pk=s.levels[0].pk).climb_hours == 4
