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
