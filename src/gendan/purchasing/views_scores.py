"""Supplier scorecards' pages (R-3.4): the ranking of a period with the suppliers below the threshold
flagged, one supplier's scorecard with the records behind each figure and its monthly trend, the
ranking of one material's suppliers, the Excel export, and purchasing's service rating. Thin: read
`scorecard.py`, call the rating service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.engine.scorecard import PeriodError, month, quarter, year
from gendan.masterdata.models import Supplier

from . import scorecard as sc
from .exports_scores import scorecards_workbook
from .forms_scores import ServiceRatingForm
from .models import ServiceRating
from .score_chart import trend_svg
from .services.scores import service_rating_save

READ = "purchasing.view_servicerating"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request):
    """The period asked for, or None with the page's 400 message."""
    try:
        return sc.read_period(request.GET.get("period")), None
    except PeriodError:
        return None, _(
            "The period “%(text)s” cannot be read: give a month (2026-03), a quarter (2026-Q1), a year (2026) "
            "or last12."
        ) % {"text": request.GET.get("period", "")[:20]}


def _picker(period) -> dict:
    """The period picker's choices: the current month, quarter, year and twelve months, and the
    periods either side of the one shown."""
    today = timezone.localdate()
    choices = [
        (_("Last 12 months"), "last12"),
        (_("This month"), month(today.year, today.month).key),
        (_("This quarter"), quarter(today.year, (today.month - 1) // 3 + 1).key),
        (_("This year"), year(today.year).key),
        (_("Last year"), year(today.year - 1).key),
    ]
    before = period.previous()
    return {
        "period": period,
        # The twelve months before are named by their days (their key, last12@…, is for links only).
        "previous_label": (
            f"{before.start:%Y-%m-%d} – {before.end:%Y-%m-%d}" if before.kind == "last12" else before.key
        ),
        "choices": choices,
        "previous": period.previous().key if period.kind != "last12" else None,
        "next": period.next().key if period.kind != "last12" and period.next().start <= today else None,
    }


def _bad_period(request, message, template="purchasing/score_list.html", **extra):
    return render(
        request,
        template,
        {
            "title": _("Supplier scorecards"),
            "period_error": message,
            "period_text": request.GET.get("period", "")[:20],
            "rows": [],
            **extra,
        },
        status=400,
    )


@login_required
@permission_required(READ, raise_exception=True)
@require_GET
def scorecards(request):
    period, error = _period(request)
    if error:
        return _bad_period(request, error)
    rows = sc.scorecard_list(user=request.user, period=period)
    return render(
        request,
        "purchasing/score_list.html",
        {
            "title": _("Supplier scorecards"),
            "rows": rows,
            "threshold": settings.GENDAN_SUPPLIER_SCORE_THRESHOLD,
            "weights": settings.GENDAN_SUPPLIER_SCORE_WEIGHTS,
            "min_records": settings.GENDAN_SUPPLIER_SCORE_MIN_RECORDS,
            "flagged": sum(1 for r in rows if r.card.flagged),
            **_picker(period),
        },
    )


@login_required
@permission_required(READ, raise_exception=True)
@require_GET
def scorecards_export(request):
    period, error = _period(request)
    if error:
        return _bad_period(request, error)
    rows = sc.scorecard_list(user=request.user, period=period)
    report = scorecards_workbook(rows, period=period)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        report,
        as_attachment=True,
        filename=f"supplier-scorecards-{period.key}-{stamp}.xlsx",
        content_type=XLSX,
    )


def _detail_context(request, supplier, period, form=None):
    detail = sc.scorecard_detail(supplier=supplier, period=period)
    threshold = settings.GENDAN_SUPPLIER_SCORE_THRESHOLD
    monthly = sc.monthly_scores(supplier=supplier)
    may_rate = request.user.has_perm("purchasing.add_servicerating") and not supplier.is_archived
    if may_rate and form is None:
        initial_period = period.key if period.kind != "last12" else sc.read_period(None).end.strftime("%Y-%m")
        form = ServiceRatingForm(initial={"period": initial_period})
    return {
        "title": _("Scorecard of %(supplier)s") % {"supplier": supplier},
        "supplier": supplier,
        "d": detail,
        "card": detail.card,
        "threshold": threshold,
        "show_prices": sc.shows_prices(request.user),
        "chart": trend_svg([(p.key, c.score) for p, c in monthly], threshold=threshold),
        "form": form if may_rate else None,
        **_picker(period),
    }


def _visible_supplier(request, supplier_id):
    return get_object_or_404(sc.visible_suppliers(request.user), pk=supplier_id)


@login_required
@permission_required(READ, raise_exception=True)
@require_GET
def scorecard(request, supplier_id):
    supplier = _visible_supplier(request, supplier_id)
    period, error = _period(request)
    if error:
        return _bad_period(request, error, "purchasing/score_detail.html", supplier=supplier)
    return render(request, "purchasing/score_detail.html", _detail_context(request, supplier, period))


@login_required
@permission_required("purchasing.add_servicerating", raise_exception=True)
@require_POST
def rate(request, supplier_id):
    supplier = _visible_supplier(request, supplier_id)
    form = ServiceRatingForm(request.POST)
    if form.is_valid():
        try:
            rating = service_rating_save(
                actor=request.user,
                supplier_id=supplier.pk,
                period=form.cleaned_data["period"],
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except WorkflowConflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Service of %(supplier)s rated %(rating)s for %(period)s.")
                % {"supplier": supplier, "rating": rating.rating, "period": rating.period},
            )
            return redirect(f"{reverse('purchasing:scorecard', args=[supplier.pk])}?period={rating.period}")
    period = sc.read_period(None)
    response = render(
        request, "purchasing/score_detail.html", _detail_context(request, supplier, period, form)
    )
    response.status_code = 400
    return response


@login_required
@permission_required(READ, raise_exception=True)
@require_GET
def material_ranking(request):
    materials = list(sc.materials_with_suppliers())
    period, error = _period(request)
    if error:
        return _bad_period(request, error, "purchasing/score_material.html", materials=materials)
    material, rows = None, []
    wanted = request.GET.get("material", "").strip()
    if wanted:
        if not wanted.isdigit():
            raise Http404
        material = next((m for m in materials if m.pk == int(wanted)), None)
        if material is None:
            raise Http404
        rows = sc.material_ranking(user=request.user, material=material, period=period)
    return render(
        request,
        "purchasing/score_material.html",
        {
            "title": _("Suppliers of a material, by score"),
            "materials": materials,
            "material": material,
            "rows": rows,
            "threshold": settings.GENDAN_SUPPLIER_SCORE_THRESHOLD,
            "show_prices": sc.shows_prices(request.user),
            **_picker(period),
        },
    )


for _view in (scorecards, scorecards_export, material_ranking, scorecard):
    _view.probe_model = ServiceRating  # type: ignore[attr-defined]
scorecard.probe_fill = {  # type: ignore[attr-defined]
    "supplier_id": lambda: Supplier.objects.order_by("pk").values_list("pk", flat=True).first()
}
rate.probe_model = ServiceRating  # type: ignore[attr-defined]
rate.probe_write = "add"  # type: ignore[attr-defined]
rate.probe_fill = scorecard.probe_fill  # type: ignore[attr-defined]
