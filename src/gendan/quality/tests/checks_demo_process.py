"""The demo (step 68): inspection plans for products the shop floor reported on, an in-process lot
passed and one failed, a final inspection passed, a lot waiting; building again adds nothing."""

from gendan.issues.models import Issue
from gendan.quality.demo_process import build_process_inspections
from gendan.quality.models import CorrectiveAction, InspectionPlan, Nonconformance, ProcessInspection


def check_the_demo_inspects_lots_in_process_and_finished(demo):
    assert InspectionPlan.objects.filter(routing_operation__isnull=False).exists()
    assert InspectionPlan.objects.filter(routing_operation__isnull=True).exists()
    statuses = list(ProcessInspection.objects.values_list("kind", "status"))
    assert ("in_process", "passed") in statuses
    assert ("in_process", "failed") in statuses
    assert ("in_process", "pending") in statuses
    assert ("final", "passed") in statuses
    first, second = ProcessInspection.objects.filter(status="failed").order_by("pk")
    assert first.nonconforming > first.accept_number and second.nonconforming > second.accept_number
    nc = Nonconformance.objects.get(inspection=first)  # reworked; its action verified with evidence
    assert (nc.status, nc.disposition) == ("closed", "rework")
    (action,) = CorrectiveAction.objects.filter(nonconformance=nc)
    assert action.status == "closed" and action.verified_by is not None and action.evidence.exists()
    assert Issue.objects.get(fingerprint=f"nc:{nc.pk}").status == "resolved"  # for the merchandiser
    still_open = Nonconformance.objects.get(inspection=second)  # waits for quality's disposition
    assert still_open.status == "open" and not still_open.disposition
    assert Issue.objects.get(fingerprint=f"nc:{still_open.pk}").status == "open"
    from gendan.accounts.models import User

    counts = (
        InspectionPlan.objects.count(),
        ProcessInspection.objects.count(),
        Nonconformance.objects.count(),
    )
    build_process_inspections(users={u.username: u for u in User.objects.all()})
    assert (
        InspectionPlan.objects.count(),
        ProcessInspection.objects.count(),
        Nonconformance.objects.count(),
    ) == counts


def check_the_records_chart_shows_the_tool_wearing_before_the_lot_failed(demo):
    """The quality records page opens on the patrolled characteristic: its X̄ chart marks the last
    rounds (the tool wearing) and the failed lot beyond the upper control limit, and the failed lot's
    oversize part outside the specification."""
    from django.test import Client

    from gendan.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="inspector"))
    data = client.get("/api/quality-records/").json()["measured"]
    assert data["characteristic"]["characteristic"] == "关键尺寸 Ø50"
    assert data["grouping"] == "by_inspection" and data["n"] == 5 and len(data["subgroups"]) >= 21
    beyond = [p["beyond_limits"] for p in data["xbar"]["points"]]
    assert beyond[-1] and sum(beyond[-5:]) >= 3 and not any(beyond[:10])
    assert data["out_of_spec"] >= 1
    page = client.get("/quality/records/").content.decode()
    assert page.count('class="point signal"') >= 3 and 'class="value off-spec"' in page
