"""The demo (step 72): the standard ladder and rules, the open issues they escalate, one escalation
passed up because nobody acknowledged it; building again adds nothing."""

from gendan.escalations.choices import EscalationStatus, ReasonKind
from gendan.escalations.demo import build_escalations
from gendan.escalations.models import Escalation, Ladder, Rule


def check_the_demo_has_an_escalation_passed_up_because_nobody_acknowledged(demo):
    assert Ladder.objects.filter(is_default=True, is_archived=False).count() == 1
    assert Rule.objects.filter(is_archived=False).count() >= 4
    climbed = Escalation.objects.filter(status=EscalationStatus.CLIMBED, reason_kind=ReasonKind.RULE)
    assert climbed.exists()
    for escalation in climbed:
        assert escalation.acknowledged_by is None
        successor = escalation.climbed_to
        assert (
            successor.status == EscalationStatus.OPEN and successor.level.position > escalation.level.position
        )
        assert successor.notified.exists()
    # Raised by hand by the merchandiser, so the demo has it whichever issues the rules found today.
    acknowledged = Escalation.objects.get(status=EscalationStatus.ACKNOWLEDGED)
    assert acknowledged.reason_kind == ReasonKind.HAND and acknowledged.raised_by.username == "merchandiser"
    assert acknowledged.acknowledged_by in acknowledged.notified.all() and acknowledged.acknowledgement
    from gendan.accounts.models import User

    counts = (Escalation.objects.count(), Rule.objects.count(), Ladder.objects.count())
    build_escalations(users={u.username: u for u in User.objects.all()})
    assert (Escalation.objects.count(), Rule.objects.count(), Ladder.objects.count()) == counts
