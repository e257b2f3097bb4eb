"""The scorecard list as an Excel sheet (R-3.4): the page's columns, one supplier a row, best first.
No unit price is in it (the price trend is a percentage), so every scorecard reader may export it."""

from django.utils.translation import gettext as _

from gendan.core.excel import write_report


def _value(value):
    return float(value) if value is not None else None


def scorecards_workbook(rows, *, period):
    headers = [
        _("Rank"),
        _("Supplier code"),
        _("Supplier"),
        _("Score"),
        _("Below threshold"),
        _("Lots inspected"),
        _("Lots accepted"),
        _("Acceptance (%)"),
        _("Deliveries"),
        _("Late deliveries"),
        _("On time (%)"),
        _("Price trend (%)"),
        _("Service (1–5)"),
    ]
    return write_report(
        f"{_('Scorecards')} {period.key}",
        headers,
        (
            [
                r.rank,
                r.supplier.code,
                r.supplier.local_name,
                _value(r.card.score) if r.card.score is not None else _("not enough records"),
                _("yes") if r.card.flagged else "",
                r.card.lots,
                r.card.lots_accepted,
                _value(r.card.acceptance),
                r.card.deliveries,
                r.card.late_deliveries,
                _value(r.card.on_time),
                _value(r.card.price_trend),
                _value(r.card.service),
            ]
            for r in rows
        ),
    )
