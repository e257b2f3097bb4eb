"""The delivery risk's part of the demo factory (last, step 95): every open order assessed from what
the earlier steps made (plans in force, daily reports, kit checks, issues), so the merchandiser's
home shows them by risk at once, before the worker's first refresh. It adds no record of its own:
an issue or a moved date made here would change what the earlier steps count on a second build."""

from gendan.core.demo import DemoPart

from .models import OrderRisk
from .services import risk_refresh


def build_risk(**_earlier) -> DemoPart:
    risk_refresh()
    counts = {
        f"orders at delivery risk level {level}": OrderRisk.objects.filter(level=level).count()
        for level in ("late", "at_risk", "watch", "on_track")
    }
    return DemoPart(counts=counts)
