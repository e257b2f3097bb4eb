"""Pages of the progress board (R-4.1): the board, the per-work-centre board, the administrator's
board links, and the wall screen (TV mode) that a link opens without a login."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from gendan.accounts.models import User
from gendan.core.exceptions import ValidationError, WorkflowConflict
from gendan.core.permissions import restricted
from gendan.masterdata.models import Customer, WorkCentre
from gendan.orders.models import Order

from .board import (
    BOARD_STATES,
    TV_LIMIT,
    BoardFilters,
    board_payload,
    centre_payload,
    progress_board,
    work_centre_board,
)
from .choices import BoardScope
from .models import BoardLink
from .services_board import (
    board_link_create,
    board_link_for_token,
    board_link_revoke,
    board_link_revoked,
)

_ID = re.compile(r"[0-9]{1,18}")
_CODE = re.compile(r"[\w.\-]{1,30}")


class BadParam(Exception):
    pass


def parse_filters(params) -> tuple[BoardFilters, int]:
    """The board's filters and page from query parameters; BadParam for anything malformed."""
    filters = BoardFilters()
    code = params.get("wc", "")
    if code:
        if not _CODE.fullmatch(code):
            raise BadParam("wc")
        filters.work_centre = WorkCentre.objects.filter(code=code).first()
        if filters.work_centre is None:
            raise BadParam("wc")
    for name in ("merchandiser", "customer"):
        value = params.get(name, "")
        if value:
            if not _ID.fullmatch(value) or int(value) < 1:
                raise BadParam(name)
            setattr(filters, name, int(value))
    page = params.get("page", "") or "1"
    if not _ID.fullmatch(page) or not 1 <= int(page) <= 10_000:
        raise BadParam("page")
    return filters, int(page)


def _bad(name: str):
    return HttpResponseBadRequest(_("The parameter “%(name)s” is not valid.") % {"name": name})


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def _visible(user):
    return Order.objects.all().restrict(user, "view")


@login_required
@permission_required("orders.view_order", raise_exception=True)
@require_GET
def board(request):
    try:
        filters, page = parse_filters(request.GET)
    except BadParam as exc:
        return _bad(str(exc))
    orders = _visible(request.user)
    result = progress_board(orders, filters=filters, page=page)
    open_orders = orders.filter(status__in=BOARD_STATES)
    context = {
        "board": result,
        "filters": filters,
        "work_centres": WorkCentre.objects.filter(is_archived=False).order_by("code"),
        "merchandisers": User.objects.filter(pk__in=open_orders.values("merchandiser")).order_by("username"),
        "customers": Customer.objects.filter(pk__in=open_orders.values("customer")).order_by("code"),
        "query": _without_page(request.GET),
        "now": timezone.localtime(),
    }
    template = "shopfloor/board_rows.html" if request.htmx else "shopfloor/board.html"
    return render(request, template, context)


@login_required
@permission_required("orders.view_order", raise_exception=True)
@require_GET
def centre_board(request, code: str):
    if not _CODE.fullmatch(code):
        raise Http404
    centre = get_object_or_404(WorkCentre, code=code, is_archived=False)
    rows = work_centre_board(_visible(request.user), centre)
    context = {"centre": centre, "rows": rows, "now": timezone.localtime()}
    template = "shopfloor/board_centre_rows.html" if request.htmx else "shopfloor/board_centre.html"
    return render(request, template, context)


@login_required
@permission_required("shopfloor.view_boardlink", raise_exception=True)
def links(request):
    """The administrator's board links: the list, and a new one (its link is shown once)."""
    context: dict = {
        "links": BoardLink.objects.all()
        .restrict(request.user, "view")
        .select_related("work_centre", "created_by", "revoked_by"),
        "work_centres": WorkCentre.objects.filter(is_archived=False).order_by("code"),
        "scopes": BoardScope.choices,
        "errors": {},
        "data": {},
    }
    if request.method == "POST":
        if not request.user.has_perm("shopfloor.add_boardlink"):
            return render(request, "403.html", status=403)
        data = request.POST
        centre = None
        wc = data.get("work_centre", "")
        if wc:
            if not _ID.fullmatch(wc):
                return _bad("work_centre")
            centre = WorkCentre.objects.filter(pk=int(wc)).first()
        try:
            link, token = board_link_create(
                actor=request.user,
                name=data.get("name", ""),
                scope=data.get("scope", ""),
                work_centre=centre,
            )
        except ValidationError as exc:
            context["errors"] = exc.message_dict
            context["data"] = data
            return render(request, "shopfloor/board_links.html", context, status=400)
        context["new_link"] = link
        context["new_url"] = request.build_absolute_uri(f"/tv/{token}/")
    return render(request, "shopfloor/board_links.html", context)


@login_required
@require_POST
def link_revoke(request, pk: int):
    link = get_object_or_404(restricted(BoardLink).restrict(request.user, "view"), pk=pk)
    if not request.user.has_perm("shopfloor.change_boardlink"):
        return render(request, "403.html", status=403)
    try:
        board_link_revoke(actor=request.user, link_id=link.pk)
        messages.success(request, _("The link of “%(name)s” is revoked.") % {"name": link.name})
    except WorkflowConflict as exc:
        messages.error(request, str(exc))
    return redirect("shopfloor:board_links")


# ---- TV mode: no login, the token is the only key, and it opens these two routes only ----


def _tv_link(token: str) -> BoardLink:
    link = board_link_for_token(token)
    if link is None:
        raise Http404
    return link


@never_cache
@require_GET
def tv(request, token: str):
    link = _tv_link(token)
    return render(
        request,
        "shopfloor/board_tv.html",
        {"link": link, "centre": link.work_centre if link.scope == BoardScope.WORK_CENTRE else None},
    )


@never_cache
@require_GET
def tv_data(request, token: str):
    """The screen's data: 200 with the board, 410 once the link is revoked, 404 if unknown."""
    link = board_link_for_token(token)
    if link is None:
        status = 410 if board_link_revoked(token) else 404
        return JsonResponse({"error": "revoked" if status == 410 else "unknown"}, status=status)
    orders = Order.objects.all()  # the link shows the whole factory, as an administrator sees it
    if link.scope == BoardScope.WORK_CENTRE and link.work_centre is not None:
        payload = centre_payload(link.work_centre, work_centre_board(orders, link.work_centre))
    else:
        payload = board_payload(progress_board(orders, page=1, page_size=TV_LIMIT))
    for row in payload["rows"]:
        row.pop("merchandiser", None)  # a wall screen shows the work, not who owns it
    payload["screen"] = link.name
    return JsonResponse(payload)


# What each page serves, for the permission matrix (tests/probes): the kind of record, what
# reading and posting need, and values for path parameters that are not record ids.
def _first_centre_code():
    return (
        WorkCentre.objects.filter(is_archived=False).order_by("code").values_list("code", flat=True).first()
    )


board.probe_model = centre_board.probe_model = "orders.Order"
board.probe_read = centre_board.probe_read = "view"
centre_board.probe_fill = {"code": _first_centre_code}
links.probe_model = link_revoke.probe_model = "shopfloor.BoardLink"
links.probe_read, links.probe_write = "view", "add"
link_revoke.probe_write = "change"
tv.probe_fill = tv_data.probe_fill = {"token": lambda: "probe-unknown-screen"}
