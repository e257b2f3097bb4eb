"""The demo (step 68): inspection plans for products the shop floor reported on, an in-process lot
passed and one failed, a final inspection passed, a lot waiting; building again adds nothing."""

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
    failed = ProcessInspection.objects.get(status="failed")
    assert failed.nonconforming > failed.accept_number
    nc = Nonconformance.objects.get(inspection=failed)  # reworked; its action waits for quality
    assert (nc.status, nc.disposition) == ("closed", "rework")
    assert list(CorrectiveAction.objects.filter(nonconformance=nc).values_list("status", flat=True)) == [
        "done"
    ]
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
