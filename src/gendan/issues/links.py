"""Links the issue register puts on other apps' pages (core.registry.register_record_link): the
order's dossier ("Report an issue", its issues) and a work centre's page (its breakdowns and
maintenance records). The other apps do not import this one."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Issue, MaintenanceRecord


def order_links(user, order) -> list[tuple[str, str]]:
    issues = Issue.objects.all()
    links = []
    if issues.role_allows(user, "view"):
        count = Issue.objects.restrict(user, "view").filter(order=order).count()
        links.append(
            (
                _("Issues (%(n)s)") % {"n": count},
                f"{reverse('issues:issues_list')}?{urlencode({'order': order.pk, 'state': 'all'})}",
            )
        )
    if issues.role_allows(user, "add"):
        links.append(
            (_("Report an issue"), f"{reverse('issues:issues_create')}?{urlencode({'order': order.pk})}")
        )
    return links


def work_centre_links(user, work_centre) -> list[tuple[str, str]]:
    links = []
    if Issue.objects.all().role_allows(user, "view"):
        query = urlencode({"work_centre": work_centre.pk, "state": "all"})
        links.append((_("Issues"), f"{reverse('issues:issues_list')}?{query}"))
    if MaintenanceRecord.objects.all().role_allows(user, "view"):
        query = urlencode({"work_centre": work_centre.pk})
        links.append((_("Maintenance records"), f"{reverse('issues:maintenance_list')}?{query}"))
    if Issue.objects.all().role_allows(user, "add"):
        query = urlencode({"work_centre": work_centre.pk, "kind": "equipment"})
        links.append((_("Report a breakdown"), f"{reverse('issues:issues_create')}?{query}"))
    return links


def operation_links(user, operation) -> list[tuple[str, str]]:
    """On an order operation's page (planning, shop floor), if it shows record links."""
    links = []
    if Issue.objects.all().role_allows(user, "view"):
        query = urlencode({"operation": operation.pk, "state": "all"})
        links.append((_("Issues"), f"{reverse('issues:issues_list')}?{query}"))
    if Issue.objects.all().role_allows(user, "add"):
        links.append(
            (
                _("Report an issue"),
                f"{reverse('issues:issues_create')}?{urlencode({'operation': operation.pk})}",
            )
        )
    return links
