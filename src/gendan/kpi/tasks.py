"""Background work of the KPIs: the stored reports of the overview (snapshots.py), every few minutes
(core.periodic) and after the settings change."""

from django_tasks import task


@task()
def kpi_refresh_task() -> int:
    from .refresh import kpi_snapshots_refresh

    return kpi_snapshots_refresh()
