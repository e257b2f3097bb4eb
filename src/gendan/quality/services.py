"""Incoming inspection's writes (R-3.6): start an inspection (the sampling plan is fixed then and
shown before anything is counted), record defects and photos, complete it (accept or reject by
Ac/Re, overridden only with a reason), which stocks in the accepted quantity through receiving and
moves the supplier × material along the switching rules."""

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.core.uploads import check_upload, files_removed_on_rollback, save_file
from gendan.engine import sampling
from gendan.notifications.services import notify
from gendan.purchasing.choices import ReceiptStatus
from gendan.purchasing.models import Receipt
from gendan.purchasing.services.receiving import receipt_inspected

from .choices import InspectionResult, InspectionStatus, Severity
from .models import DefectCode, Inspection, InspectionDefect, InspectionPhoto, SamplingSetting, SwitchingState

# Without any setting: general inspection level II at AQL 1.0, the usual start for incoming goods.
DEFAULT_LEVEL, DEFAULT_AQL = "II", "1.0"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_LOT = 2**31 - 1


def photo_max_bytes() -> int:
    return int(getattr(settings, "GENDAN_INSPECTION_PHOTO_MAX_BYTES", 8 * 1024 * 1024))


def setting_for(*, supplier_id: int | None, material_id: int | None) -> tuple[str, str, str]:
    """Level, AQL and where they come from: supplier + material beats material beats supplier beats
    the factory default."""
    rows = SamplingSetting.objects.filter(is_archived=False).filter(
        Q(supplier_id=supplier_id) | Q(supplier__isnull=True),
        Q(material_id=material_id) | Q(material__isnull=True),
    )

    def rank(row: SamplingSetting) -> int:
        return {(True, True): 0, (False, True): 1, (True, False): 2, (False, False): 3}[
            (row.supplier_id is not None, row.material_id is not None)
        ]

    best = min(rows, key=rank, default=None)
    if best is None:
        return DEFAULT_LEVEL, DEFAULT_AQL, str(_("Factory default (no setting)"))
    return best.level, best.aql, str(best)


def switching_of(*, supplier_id: int, material_id: int) -> SwitchingState:
    """The state of a supplier × material (normal inspection for one never inspected)."""
    return SwitchingState.objects.filter(supplier_id=supplier_id, material_id=material_id).first() or (
        SwitchingState(supplier_id=supplier_id, material_id=material_id)
    )


def current_severity(state: SwitchingState) -> str:
    # Reduced inspection is not in use: Table 2-C of engine/sampling.py is not verified against the
    # printed standard (see its docstring), so the switching rules never move a lot there.
    return Severity.NORMAL if state.severity == Severity.REDUCED else state.severity


def plan_for(receipt: Receipt) -> dict:
    """The sampling plan a receipt gets if its inspection starts now (shown before he starts)."""
    line = receipt.line
    supplier_id, material_id = line.order.supplier_id, line.material_id
    level, aql, source = setting_for(supplier_id=supplier_id, material_id=material_id)
    state = switching_of(supplier_id=supplier_id, material_id=material_id)
    # A lot is counted in units; a quantity with a fraction (kg, m) counts its last part as one.
    lot_size = max(1, math.ceil(receipt.quantity))
    if lot_size > MAX_LOT:
        raise ValidationError(_("The lot is too large to be inspected by sampling as units."))
    severity = current_severity(state)
    plan = sampling.plan(lot_size, level, aql, severity)
    return {
        "lot_size": lot_size,
        "level": level,
        "aql": aql,
        "setting_source": source[:200],
        "severity": severity,
        "code_letter": plan.code_letter,
        "plan_letter": plan.plan_letter,
        "sample_size": plan.sample_size,
        "accept_number": plan.accept,
        "reject_number": plan.reject,
        "hundred_percent": plan.hundred_percent,
        "discontinued": state.discontinued,
    }


def inspection_start(*, actor, receipt_id: int) -> Inspection:
    """Start inspecting a receipt waiting in inspection. Of two inspectors starting the same lot at
    once, one wins (the receipt has one inspection: the unique key decides)."""
    require(actor, Inspection, "add")
    with transaction.atomic():
        receipt = (
            Receipt.objects.select_related("line__order", "line__material").filter(pk=receipt_id).first()
        )
        if receipt is None:
            raise ValidationError({"receipt": _("No such goods receipt.")})
        if (
            receipt.status != ReceiptStatus.IN_INSPECTION
            or Inspection.objects.filter(receipt=receipt).exists()
        ):
            raise WorkflowConflict(
                _("Receipt %(number)s is already being inspected or has been inspected.")
                % {"number": receipt.number}
            )
        try:
            values = plan_for(receipt)
        except ValueError as exc:  # a setting the tables do not know (the engine names it)
            raise ValidationError({"receipt": str(exc)}) from None
        if values.pop("discontinued"):
            raise WorkflowConflict(
                _(
                    "Inspection of this supplier's material is discontinued (five lots not accepted on "
                    "tightened inspection, GB/T 2828.1 9.4): resume it once the supplier has acted."
                )
            )
        inspection = Inspection(
            receipt=receipt,
            supplier_id=receipt.line.order.supplier_id,
            material_id=receipt.line.material_id,
            inspector=actor,
            **values,
        )
        try:
            with transaction.atomic():
                inspection.save(force_insert=True)
        except IntegrityError:
            raise WorkflowConflict(
                _("Someone else started inspecting %(number)s first.") % {"number": receipt.number}
            ) from None
        audit_record(actor=actor, obj=inspection, action="create")
    return inspection


def _open_inspection(actor, inspection_id: int) -> Inspection:
    inspection = Inspection.objects.get_for(actor, "change", pk=inspection_id)
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise WorkflowConflict(_("This inspection is completed; it cannot be changed."))
    return inspection


def _whole(value, field: str, label: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s: enter a whole number.") % {"label": label}}) from None
    if number < 1:
        raise ValidationError({field: _("%(label)s must be at least 1.") % {"label": label}})
    if number > 10**9:
        raise ValidationError({field: _("%(label)s is too large.") % {"label": label}})
    return number


def inspection_defect_add(
    *, actor, inspection_id: int, code_id: int, count, note: str = ""
) -> InspectionDefect:
    """Record defects found in the sample (a count of one defect code, with a note)."""
    count = _whole(count, "count", _("Count"))
    with transaction.atomic():
        inspection = _open_inspection(actor, inspection_id)
        code = DefectCode.objects.filter(pk=code_id, is_archived=False).first()
        if code is None:
            raise ValidationError({"code": _("Choose a defect code from the list.")})
        defect = InspectionDefect.objects.create(
            inspection=inspection, code=code, count=count, note=(note or "")[:300], recorded_by=actor
        )
        _recount(inspection)
        audit_record(actor=actor, obj=defect, action="create")
    return defect


def inspection_defect_remove(*, actor, inspection_id: int, defect_id: int) -> None:
    """Take back a defect recorded by mistake (while the inspection is open)."""
    with transaction.atomic():
        inspection = _open_inspection(actor, inspection_id)
        defect = InspectionDefect.objects.filter(pk=defect_id, inspection=inspection).first()
        if defect is None:
            raise ValidationError({"defect": _("No such defect on this inspection.")})
        audit_record(actor=actor, obj=defect, action="delete", note=str(defect))
        defect.delete()
        _recount(inspection)


def _recount(inspection: Inspection) -> int:
    total = inspection.defects.aggregate(n=Sum("count"))["n"] or 0
    Inspection.objects.filter(pk=inspection.pk).update(nonconforming=total)
    inspection.nonconforming = total
    return total


def inspection_photo_add(*, actor, inspection_id: int, upload) -> InspectionPhoto:
    """Keep a photo with the inspection: an image, not too large, stored under a generated name."""
    check_photo(upload)
    with files_removed_on_rollback(), transaction.atomic():
        inspection = _open_inspection(actor, inspection_id)
        photo = InspectionPhoto(
            inspection=inspection,
            original_name=(upload.name or "photo")[:255],
            size=upload.size or 0,
            uploaded_by=actor,
        )
        save_file(photo.file, upload.name or "photo.jpg", upload)
        photo.save()
        audit_record(actor=actor, obj=photo, action="create")
    return photo


def check_photo(upload) -> None:
    """A photo must be there, be an image and not too large (incoming, in-process and final
    inspection alike); the error names the field `photo`."""
    if upload is None:
        raise ValidationError({"photo": _("Choose a photo to upload.")})
    limit = photo_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "photo": _("The photo is too large (%(size)s bytes); the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": limit}
            }
        )
    try:
        check_upload(upload, allowed_suffixes=PHOTO_SUFFIXES)
        _check_image(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None


def _check_image(upload) -> None:
    """The file must really be an image (a renamed document is refused)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(_("The file is not an image.")) from None
    except Exception:  # noqa: BLE001 - a damaged or hostile file may fail anywhere in the decoder
        raise ValidationError(_("The file is not an image.")) from None
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(_("The file is not an image."))


def inspection_complete(
    *, actor, inspection_id: int, result: str = "", override_reason: str = "", note: str = ""
) -> Inspection:
    """Decide the lot: accepted with at most Ac nonconforming, rejected with Re or more. The inspector
    may decide otherwise only with a reason (recorded). Only the accepted quantity is stocked in;
    a rejected lot opens a supplier case; the switching state moves on."""
    if result and result not in InspectionResult.values:
        raise ValidationError({"result": _("Choose accepted or rejected.")})
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        inspection = Inspection.objects.get_for(actor, "change", pk=inspection_id)
        if inspection.status != InspectionStatus.IN_PROGRESS:
            raise WorkflowConflict(
                _("The inspection of %(number)s is already completed.") % {"number": inspection.receipt}
            )
        found = _recount(inspection)
        verdict = (
            InspectionResult.ACCEPTED if found <= inspection.accept_number else InspectionResult.REJECTED
        )
        result = result or verdict
        if result != verdict and not override_reason:
            raise ValidationError(
                {
                    "override_reason": _(
                        "The sampling plan says %(verdict)s (%(found)s nonconforming, Ac %(ac)s, Re %(re)s): "
                        "give the reason for deciding otherwise."
                    )
                    % {
                        "verdict": InspectionResult(verdict).label,
                        "found": found,
                        "ac": inspection.accept_number,
                        "re": inspection.reject_number,
                    }
                }
            )
        won = Inspection.objects.filter(pk=inspection.pk, status=InspectionStatus.IN_PROGRESS).update(
            status=InspectionStatus.DONE,
            result=result,
            verdict=verdict,
            override_reason=override_reason[:300] if result != verdict else "",
            note=note or "",
            completed_at=timezone.now(),
        )
        if not won:
            raise WorkflowConflict(
                _("The inspection of %(number)s is already completed.") % {"number": inspection.receipt}
            )
        inspection.refresh_from_db()
        receipt = inspection.receipt
        accepted = result == InspectionResult.ACCEPTED
        quantity = receipt.quantity
        receipt_inspected(
            actor=actor,
            receipt=receipt,
            accepted=quantity if accepted else Decimal(0),
            rejected=Decimal(0) if accepted else quantity,
        )
        _switch(inspection, verdict == InspectionResult.ACCEPTED, found)
        audit_record(
            actor=actor,
            obj=inspection,
            action="complete",
            changes={
                "status": [InspectionStatus.IN_PROGRESS, InspectionStatus.DONE],
                "result": [None, result],
            },
            note=override_reason,
        )
        if receipt.received_by_id:
            notify(
                event="inspection.done",
                recipients=[receipt.received_by],
                title=gettext_lazy("Incoming inspection done"),
                body=lambda _lang: f"{receipt.number}: {InspectionResult(result).label}",
                url=reverse("quality:inspection_detail", args=[inspection.pk]),
                obj=inspection,
            )
    return inspection


def _switch(inspection: Inspection, accepted: bool, nonconforming: int) -> SwitchingState:
    """Move the supplier × material along the switching rules (clause 9). The lot's verdict by the
    sampling plan counts, not an override: the rules judge the supplier's quality, not the use made
    of a lot."""
    SwitchingState.objects.get_or_create(
        supplier_id=inspection.supplier_id, material_id=inspection.material_id
    )
    state = SwitchingState.objects.select_for_update().get(
        supplier_id=inspection.supplier_id, material_id=inspection.material_id
    )
    if state.discontinued:
        return state  # 9.4: nothing counts until inspection is resumed
    now = sampling.Switching(
        severity=sampling.Severity(current_severity(state)),
        recent=tuple(bool(x) for x in state.recent),
        score=state.score,
        consecutive_accepted=state.consecutive_accepted,
        tightened_not_accepted=state.tightened_not_accepted,
    )
    plan = sampling.SamplingPlan(
        code_letter=inspection.code_letter,
        sample_size=inspection.sample_size,
        accept=inspection.accept_number,
        reject=inspection.reject_number,
        severity=sampling.Severity(inspection.severity),
        plan_letter=inspection.plan_letter,
        aql=Decimal(inspection.aql),
        hundred_percent=inspection.hundred_percent,
    )
    # reduced_approved=False: Table 2-C is not verified (see current_severity), so the score may
    # reach 30 but the lots stay on normal inspection.
    after = sampling.after_lot(
        now, accepted, sampling_plan=plan, nonconforming=nonconforming, reduced_approved=False
    )
    before = state.severity
    state.severity = after.severity.value
    state.recent = list(after.recent)
    state.score = after.score
    state.consecutive_accepted = after.consecutive_accepted
    state.tightened_not_accepted = after.tightened_not_accepted
    state.discontinued = after.discontinued
    state.save()
    if before != state.severity or state.discontinued:
        audit_record(
            actor=None,
            obj=state,
            action="update",
            changes={"severity": [before, state.severity], "discontinued": [False, state.discontinued]},
        )
    return state


def switching_resume(*, actor, supplier_id: int, material_id: int, reason: str) -> SwitchingState:
    """9.4: after the supplier has acted to improve quality, quality resumes inspection of his
    material, on tightened inspection with fresh counts. The reason is recorded."""
    require(actor, Inspection, "change")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the supplier has done to improve quality.")})
    with transaction.atomic():
        won = SwitchingState.objects.filter(
            supplier_id=supplier_id, material_id=material_id, discontinued=True
        ).update(
            discontinued=False,
            severity=Severity.TIGHTENED,
            recent=[],
            score=0,
            consecutive_accepted=0,
            tightened_not_accepted=0,
        )
        if not won:
            raise WorkflowConflict(_("Inspection of this material is not discontinued."))
        state = SwitchingState.objects.get(supplier_id=supplier_id, material_id=material_id)
        audit_record(
            actor=actor,
            obj=state,
            action="resume",
            changes={"discontinued": [True, False], "severity": [None, Severity.TIGHTENED]},
            note=reason[:300],
        )
    return state
