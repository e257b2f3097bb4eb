"""The KPIs for HR (R-7.2): one row per merchandiser and figure, with the period, the value against
its target, the weight it had in the score, its points and the merchandiser's score. A figure
without data says so (never a 0)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from gendan.core.excel import write_report

from .labels import FIGURE_LABELS, REASONS, UNIT_LABELS


def _num(value: Decimal | None):
    return float(value) if value is not None else None


def kpi_workbook(rows, *, period, settings):
    headers = [
        _("Period"),
        _("Period from"),
        _("Period to"),
        _("User name"),
        _("Merchandiser"),
        _("Score"),
        _("Figure"),
        _("Figure value"),
        _("Unit"),
        _("Target"),
        _("Target met"),
        _("Weight set"),
        _("Weight in score (%)"),
        _("Points"),
        _("Records counted"),
        _("Records against"),
        _("Note"),
    ]

    def lines():
        for row in rows:
            report = row.report
            score = _num(report.score) if report.score is not None else _("no data")
            for code, f in report.figures.items():
                used = report.weights_used.get(code)
                note = str(REASONS[f.reason]) if f.reason else ""
                if code in report.left_out and f.value is not None:
                    note = str(REASONS[report.left_out[code]])
                yield [
                    period.key,
                    period.start,
                    period.end,
                    row.merchandiser.username,
                    str(row.merchandiser),
                    score,
                    str(FIGURE_LABELS[code]),
                    _num(f.value) if f.value is not None else _("no data"),
                    str(UNIT_LABELS.get(f.unit, f.unit)),
                    _num(f.target),
                    "" if f.met is None else (_("yes") if f.met else _("no")),
                    _num(settings.weight(code)),
                    round(float(used) * 100, 1) if used is not None else None,
                    _num(f.points),
                    len(f.counted),
                    len(f.missed),
                    note,
                ]

    return write_report(f"{_('KPIs')} {period.key}", headers, lines())
