"""Follow-up pages of the issue register (R-4.3): a department's issues (mine, or a chosen one) and
the merchandiser's issues on the orders he owns; both grouped by status, overdue first, filtered
like the register, one page at a time."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .filters import IssueFilter
from .models import Issue
from .selectors import issue_list, issues_for_follow_up

PER_PAGE = 50


def _page(request, *, title: str, defaults: dict, fixed: dict, hide: tuple[str, ...]):
    if not Issue.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    data = request.GET.copy()
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    for name, value in fixed.items():
        data[name] = value
    filterset = IssueFilter(data, queryset=issue_list(user=request.user), request=request)
    for name in hide:  # kept in the form (a filter not in it is not applied), not shown
        filterset.form.fields[name].widget = forms.HiddenInput()
    valid = filterset.is_valid()
    qs = issues_for_follow_up(filterset.qs) if valid else Issue.objects.none()
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": title,
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    response = render(request, "issues/follow.html", context)
    if not valid:
        response.status_code = 400
    return response


@login_required
def department_issues(request):
    """Issues a department is responsible for: the user's own department unless he chooses one."""
    department = request.user.department_id
    return _page(
        request,
        title=_("Issues by department"),
        defaults={"department": str(department) if department else ""},
        fixed={},
        hide=("mine", "mine_orders", "order", "operation", "work_centre"),
    )


@login_required
def my_orders_issues(request):
    """The merchandiser's issues on the orders he owns."""
    return _page(
        request,
        title=_("Issues on my orders"),
        defaults={},
        fixed={"mine_orders": "true"},
        hide=("mine", "mine_orders", "order", "operation", "work_centre"),
    )
