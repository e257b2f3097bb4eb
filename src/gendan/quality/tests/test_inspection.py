"""Incoming inspection (R-3.6): the sampling plan of GB/T 2828.1 is fixed when the inspection starts
and shown before counting; the lot is decided by Ac/Re (otherwise only with a reason); only the
accepted quantity is stocked in; a rejected lot opens a supplier case and tells purchasing and the
merchandiser; the switching rules move a supplier to tightened inspection."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gendan.core.exceptions import WorkflowConflict
from gendan.inventory.models import StockLevel, StockMovement
from gendan.notifications.models import Notification
from gendan.purchasing.choices import ReceiptStatus
from gendan.purchasing.models import SupplierCase
from gendan.quality.choices import Severity
from gendan.quality.models import Inspection, SamplingSetting, SwitchingState
from gendan.quality.services import (
    inspection_complete,
    inspection_defect_add,
    inspection_start,
    plan_for,
    setting_for,
)
from gendan.testing import race

pytestmark = pytest.mark.django_db


def _stock(material) -> Decimal:
    return sum((s.quantity for s in StockLevel.objects.filter(material=material)), Decimal(0))


@pytest.mark.parametrize(
    ("lot", "level", "aql", "n", "ac", "re"),
    [
        (500, "II", "1.0", 50, 1, 2),  # H
        (1000, "II", "0.65", 80, 1, 2),  # J
        (3000, "II", "2.5", 125, 7, 8),  # K
        (100, "II", "4.0", 20, 2, 3),  # F
        (150, "S-2", "1.0", 13, 0, 1),  # B, 1.0: arrow down to E (n = 13), 0/1
        (10, "II", "0.65", 10, 0, 1),  # B (3) arrows down to 0/1 at G (n = 32): every unit of 10
    ],
)
def test_the_sample_size_and_ac_re_for_a_lot_size_level_and_aql(
    make, users, receive, lot, level, aql, n, ac, re
):
    receipt = receive(str(lot))
    line = receipt.line
    SamplingSetting.objects.create(material=line.material, level=level, aql=aql)
    plan = plan_for(receipt)
    assert (plan["sample_size"], plan["accept_number"], plan["reject_number"]) == (n, ac, re)
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    assert (started.sample_size, started.accept_number, started.reject_number, started.lot_size) == (
        n,
        ac,
        re,
        lot,
    )


def test_supplier_and_material_beats_material_beats_supplier_beats_the_default(make):
    supplier, material = make.supplier(), make.material()
    assert setting_for(supplier_id=supplier.pk, material_id=material.pk)[:2] == ("II", "1.0")
    SamplingSetting.objects.create(level="I", aql="4.0")
    assert setting_for(supplier_id=supplier.pk, material_id=material.pk)[:2] == ("I", "4.0")
    SamplingSetting.objects.create(supplier=supplier, level="III", aql="2.5")
    assert setting_for(supplier_id=supplier.pk, material_id=material.pk)[:2] == ("III", "2.5")
    SamplingSetting.objects.create(material=material, level="S-3", aql="1.5")
    assert setting_for(supplier_id=supplier.pk, material_id=material.pk)[:2] == ("S-3", "1.5")
    SamplingSetting.objects.create(supplier=supplier, material=material, level="II", aql="0.65")
    assert setting_for(supplier_id=supplier.pk, material_id=material.pk)[:2] == ("II", "0.65")


def test_an_accepted_lot_is_stocked_in_through_the_ledger(users, receive, defect):
    receipt = receive("500")  # II, 1.0: n 50, Ac 1
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    inspection_defect_add(actor=users["quality"], inspection_id=started.pk, code_id=defect.pk, count=1)
    done = inspection_complete(actor=users["quality"], inspection_id=started.pk)
    receipt.refresh_from_db()
    assert done.result == "accepted" and receipt.status == ReceiptStatus.ACCEPTED
    assert _stock(receipt.line.material) == 500
    assert StockMovement.objects.filter(reference=receipt.number, kind="receipt").count() == 1
    assert not SupplierCase.objects.exists()


def test_a_rejected_lot_is_not_stocked_in_opens_a_case_and_tells_purchasing_and_the_merchandiser(
    users, receive, defect, django_capture_on_commit_callbacks
):
    receipt = receive("500")
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    inspection_defect_add(actor=users["quality"], inspection_id=started.pk, code_id=defect.pk, count=2)
    with django_capture_on_commit_callbacks(execute=True):
        done = inspection_complete(actor=users["quality"], inspection_id=started.pk)
    receipt.refresh_from_db()
    assert done.result == "rejected" and receipt.status == ReceiptStatus.REJECTED
    assert _stock(receipt.line.material) == 0
    case = SupplierCase.objects.get(receipt=receipt)
    assert case.quantity == 500 and case.number.startswith("SC-")
    for role in ("purchasing", "merchandiser"):
        assert Notification.objects.filter(recipient=users[role], event="receipt.rejected").exists()


def test_overriding_the_sampling_plan_needs_a_reason_which_is_recorded(users, receive, defect):
    receipt = receive("500")
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    inspection_defect_add(actor=users["quality"], inspection_id=started.pk, code_id=defect.pk, count=3)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        inspection_complete(actor=users["quality"], inspection_id=started.pk, result="accepted")
    assert "give the reason" in exc.value.message_dict["override_reason"][0]
    assert Inspection.objects.get(pk=started.pk).status == "in_progress"
    done = inspection_complete(
        actor=users["quality"], inspection_id=started.pk, result="accepted", override_reason="客户特采"
    )
    assert done.verdict == "rejected" and done.result == "accepted" and done.override_reason == "客户特采"
    assert _stock(receipt.line.material) == 500


def test_inspecting_a_lot_twice_is_refused(users, receive):
    receipt = receive("50")
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    with pytest.raises(WorkflowConflict):
        inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    inspection_complete(actor=users["quality"], inspection_id=started.pk)
    with pytest.raises(WorkflowConflict):
        inspection_complete(actor=users["quality"], inspection_id=started.pk)
    assert StockMovement.objects.filter(reference=receipt.number).count() == 1


@pytest.mark.parametrize("count", [0, -1, "x"])
def test_a_count_that_is_not_a_positive_whole_number_is_refused(users, receive, defect, count):
    receipt = receive("50")
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    with pytest.raises(ValidationError) as exc:
        inspection_defect_add(
            actor=users["quality"], inspection_id=started.pk, code_id=defect.pk, count=count
        )
    assert "count" in exc.value.message_dict
    assert not started.defects.exists()


def test_stocking_in_a_rejected_quantity_is_refused(users, receive):
    from gendan.purchasing.services.receiving import receipt_inspected

    receipt = receive("50")
    with pytest.raises(ValidationError):
        receipt_inspected(actor=users["quality"], receipt=receipt, accepted=Decimal(50), rejected=Decimal(10))
    with pytest.raises(ValidationError):
        receipt_inspected(
            actor=users["quality"], receipt=receipt, accepted=Decimal(60), rejected=Decimal(-10)
        )
    assert _stock(receipt.line.material) == 0


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "merchandiser"])
def test_only_quality_inspects(users, receive, role):
    receipt = receive("50")
    with pytest.raises(PermissionDenied):
        inspection_start(actor=users[role], receipt_id=receipt.pk)
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    with pytest.raises(PermissionDenied):
        inspection_complete(actor=users[role], inspection_id=started.pk)


def test_two_rejected_of_five_switch_the_supplier_to_tightened_inspection(make, users, receive, defect):
    supplier, material = make.supplier(), make.material()

    def lot(defects: int) -> Inspection:
        receipt = receive("500", supplier=supplier, material=material)
        started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
        if defects:
            inspection_defect_add(
                actor=users["quality"], inspection_id=started.pk, code_id=defect.pk, count=defects
            )
        return inspection_complete(actor=users["quality"], inspection_id=started.pk)

    lot(0)
    lot(2)  # rejected
    lot(0)
    assert SwitchingState.objects.get(supplier=supplier, material=material).severity == Severity.NORMAL
    lot(5)  # the second rejected within five
    state = SwitchingState.objects.get(supplier=supplier, material=material)
    assert state.severity == Severity.TIGHTENED
    receipt = receive("500", supplier=supplier, material=material)
    tightened = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    # II, 1.0, lot 500 is letter H: normal 50 units at Ac 1 / Re 2; Table 2-B's arrow at H sends
    # tightened inspection to row J: 80 units at 1 / 2.
    assert tightened.severity == Severity.TIGHTENED
    assert (tightened.sample_size, tightened.accept_number, tightened.reject_number) == (80, 1, 2)


@pytest.mark.django_db(transaction=True)
def test_two_inspectors_starting_the_same_lot_at_once_one_wins(make, users, receive):
    receipt = receive("50")
    second = make.user(role="quality")
    inspectors = [users["quality"], second]

    results = race(2, lambda i: inspection_start(actor=inspectors[i], receipt_id=receipt.pk))
    assert sum(isinstance(r, Inspection) for r in results) == 1
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1
    assert Inspection.objects.count() == 1


def test_reduced_inspection_is_not_used_while_table_2c_is_unverified(make, users, receive):
    """Fifteen clean lots at Ac 1 earn 30 switching points: the standard would allow reduced
    inspection, but its table is not verified, so the lots stay on normal inspection."""
    supplier, material = make.supplier(), make.material()
    SwitchingState.objects.create(supplier=supplier, material=material, score=28)
    receipt = receive("500", supplier=supplier, material=material)
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    inspection_complete(actor=users["quality"], inspection_id=started.pk)
    state = SwitchingState.objects.get(supplier=supplier, material=material)
    assert state.score == 30 and state.severity == Severity.NORMAL
    SwitchingState.objects.filter(pk=state.pk).update(severity=Severity.REDUCED)  # e.g. set by hand
    receipt = receive("500", supplier=supplier, material=material)
    assert inspection_start(actor=users["quality"], receipt_id=receipt.pk).severity == Severity.NORMAL


def test_a_replacement_goes_through_inspection_again_and_tells_its_case(
    make, users, receive, defect, monkeypatch
):
    from gendan.purchasing.services import cases
    from gendan.purchasing.services.receiving import receipt_create

    first = receive("500")
    started = inspection_start(actor=users["quality"], receipt_id=first.pk)
    inspection_defect_add(actor=users["quality"], inspection_id=started.pk, code_id=defect.pk, count=2)
    inspection_complete(actor=users["quality"], inspection_id=started.pk)
    case = SupplierCase.objects.get(receipt=first)
    line = first.line
    with pytest.raises(ValidationError):  # not before purchasing asked the supplier to replace it
        receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(500), case=case)
    case = cases.case_decide(actor=users["purchasing"], case=case, kind="replacement")
    with pytest.raises(ValidationError):  # more than the rejected quantity and the tolerance
        receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(600), case=case)
    replacement = receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(500), case=case)
    line.refresh_from_db()
    assert replacement.is_replacement and line.received_qty == 500  # not counted twice
    told = []
    monkeypatch.setattr(
        cases, "case_replacement_inspected", lambda *, actor, receipt: told.append(receipt.pk)
    )
    again = inspection_start(actor=users["quality"], receipt_id=replacement.pk)
    inspection_complete(actor=users["quality"], inspection_id=again.pk)
    assert told == [replacement.pk]
    assert _stock(line.material) == 500


def test_five_lots_not_accepted_on_tightened_discontinue_inspection_until_quality_resumes_it(
    make, users, receive, defect, client_for
):
    from gendan.quality.services import switching_resume

    supplier, material = make.supplier(), make.material()
    SwitchingState.objects.create(
        supplier=supplier, material=material, severity="tightened", tightened_not_accepted=4
    )
    receipt = receive("500", supplier=supplier, material=material)
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    inspection_defect_add(actor=users["quality"], inspection_id=started.pk, code_id=defect.pk, count=5)
    inspection_complete(actor=users["quality"], inspection_id=started.pk)
    assert SwitchingState.objects.get(supplier=supplier, material=material).discontinued
    waiting = receive("500", supplier=supplier, material=material)
    with translation.override("en"), pytest.raises(WorkflowConflict, match="discontinued"):
        inspection_start(actor=users["quality"], receipt_id=waiting.pk)
    with pytest.raises(ValidationError):
        switching_resume(actor=users["quality"], supplier_id=supplier.pk, material_id=material.pk, reason=" ")
    with pytest.raises(PermissionDenied):
        switching_resume(
            actor=users["purchasing"], supplier_id=supplier.pk, material_id=material.pk, reason="8D"
        )
    client_for("quality").post(
        "/quality/switching/resume/", {"receipt": waiting.pk, "reason": "供应商已提交8D报告"}
    )
    state = SwitchingState.objects.get(supplier=supplier, material=material)
    assert not state.discontinued and state.severity == Severity.TIGHTENED
    assert inspection_start(actor=users["quality"], receipt_id=waiting.pk).severity == Severity.TIGHTENED
