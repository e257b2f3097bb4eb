"""Supplier scores as the purchase plan's supplier suggestion reads them (R-3.4).

`current_scores(supplier_ids)` -> {supplier id: score 0–100}: the latest scorecard figure of each
supplier (a supplier with no records yet is left out). The scorecard itself (its figures,
drill-down, ranking) is computed from the system's records; this is the one entry point other
purchasing code uses."""

from collections.abc import Iterable
from decimal import Decimal


def current_scores(supplier_ids: Iterable[int]) -> dict[int, Decimal]:
    return {}  # filled by the scorecard work (the suggestion then prefers better suppliers)
