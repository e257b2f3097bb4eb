"""The archive's pages (R-6.1, R-6.3): search, an order's archive tab, a document (versions, its
access log for management, asking for access), upload, the dossier ZIP, the access-request inbox,
one's own requests and grants, and the access log with its Excel export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gendan.core.excel import write_report
from gendan.core.exceptions import WorkflowConflict
from gendan.orders.models import Order

from . import services
from .access import access_for, openable_ids
from .choices import LogAction, RequestStatus
from .dossier import dossier_build
from .forms import AccessRequestForm, DecisionForm, UploadForm
from .models import AccessRequest, Document
from .selectors import (
    access_log_list,
    document_list,
    document_log,
    document_search,
    document_versions,
    grant_list,
    my_requests,
    order_archive,
    pending_request,
    requests_decided,
    requests_waiting,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _order(request, pk) -> Order:
    return get_object_or_404(Order.objects.restrict(request.user, "view").select_related("customer"), pk=pk)


def _lang(request) -> str:
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh-hans"


def _errors(exc: ValidationError, form) -> None:
    for field, msgs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


@login_required
@permission_required("archive.view_document", raise_exception=True)
def search(request):
    page = document_search(user=request.user, params=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/search.html",
        {"title": _("Archive search"), "result": page, "query": query.urlencode()},
    )


@login_required
@permission_required("archive.view_document", raise_exception=True)
def order_view(request, pk):
    order = _order(request, pk)
    services.archive_file_order(order=order)
    documents = order_archive(user=request.user, order=order)
    return render(
        request,
        "archive/order.html",
        {
            "title": _("Order archive"),
            "order": order,
            "documents": documents,
            "openable": openable_ids(request.user, documents),
            "may_upload": request.user.has_perm("archive.add_document"),
        },
    )


@login_required
@permission_required("archive.add_document", raise_exception=True)
def upload(request, pk):
    order = _order(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None, order=order)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = services.document_upload(
                actor=request.user,
                order_id=order.pk,
                kind=data["kind"],
                title=data["title"],
                file=data["file"],
                level=data["level"],
                allowed_roles=data["allowed_roles"],
                allowed_departments=list(data["allowed_departments"]),
                product=data["product"],
                filed_on=data["filed_on"],
            )
        except ValidationError as exc:
            _errors(exc, form)
        except WorkflowConflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Filed as version %(v)s.") % {"v": doc.version})
            return redirect("archive:document", doc.pk)
    context = {
        "title": _("Upload a document"),
        "order": order,
        "form": form,
        "limit": settings.MAX_UPLOAD_BYTES,
    }
    return render(request, "archive/upload.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@permission_required("archive.view_document", raise_exception=True)
def dossier(request, pk):
    order = _order(request, pk)
    try:
        result = dossier_build(actor=request.user, order_id=order.pk, lang=_lang(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("archive:order", order.pk)
    return FileResponse(
        result.file, as_attachment=True, filename=result.filename, content_type="application/zip"
    )


@login_required
@permission_required("archive.view_document", raise_exception=True)
def document(request, pk):
    doc = get_object_or_404(
        document_list(user=request.user).select_related("order", "customer", "uploaded_by"), pk=pk
    )
    access = access_for(request.user, doc)
    return render(
        request,
        "archive/document.html",
        {
            "title": doc.title,
            "doc": doc,
            "access": access,
            "versions": document_versions(user=request.user, document=doc),
            "log": document_log(user=request.user, document=doc),
            "pending": pending_request(user=request.user, document=doc),
            "request_form": AccessRequestForm(),
            "is_pdf": (doc.original_name or doc.source_ref).lower().endswith(".pdf") or bool(doc.source_ref),
        },
    )


@login_required
@permission_required("archive.view_document", raise_exception=True)
def document_file(request, pk):
    """The file. A document one may not see, or a confidential one one may not open, is a 404
    (its address confirms nothing) and nothing is logged; a grant that ran out says so."""
    inline = request.GET.get("inline") == "1"
    try:
        opened = services.document_open(
            actor=request.user,
            document_id=pk,
            action=LogAction.VIEW if inline else LogAction.DOWNLOAD,
            lang=_lang(request),
        )
    except Document.DoesNotExist:
        raise Http404 from None
    except services.GrantExpired as exc:
        return render(request, "archive/refused.html", {"message": str(exc), "doc_id": pk}, status=403)
    is_pdf = opened.filename.lower().endswith(".pdf") and opened.data[:5] == b"%PDF-"
    response = HttpResponse(
        opened.data, content_type="application/pdf" if (inline and is_pdf) else "application/octet-stream"
    )
    disposition = "inline" if (inline and is_pdf) else "attachment"
    response["Content-Disposition"] = content_disposition_header(disposition == "attachment", opened.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
@permission_required("archive.add_accessrequest", raise_exception=True)
def request_access(request, pk):
    doc = get_object_or_404(document_list(user=request.user), pk=pk)
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            services.access_request_create(
                actor=request.user,
                document_id=doc.pk,
                reason=form.cleaned_data["reason"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            _errors(exc, form)
        else:
            messages.success(request, _("Your request was sent to management."))
            return redirect("archive:document", doc.pk)
    return render(
        request,
        "archive/document.html",
        {
            "title": doc.title,
            "doc": doc,
            "access": access_for(request.user, doc),
            "versions": document_versions(user=request.user, document=doc),
            "log": document_log(user=request.user, document=doc),
            "pending": None,
            "request_form": form,
        },
        status=400,
    )


@login_required
@permission_required("archive.approve_accessrequest", raise_exception=True)
def requests_inbox(request):
    return render(
        request,
        "archive/requests.html",
        {
            "title": _("Access requests"),
            "waiting": requests_waiting(user=request.user)[:200],
            "decided": requests_decided(user=request.user)[:50],
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
@permission_required("archive.approve_accessrequest", raise_exception=True)
def decide(request, pk, verdict):
    req = get_object_or_404(AccessRequest.objects.restrict(request.user, "view"), pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else None
    if note is None:
        return HttpResponseBadRequest(
            _("Note: at most 500 characters."), content_type="text/plain; charset=utf-8"
        )
    try:
        if verdict == "approve":
            services.access_request_approve(actor=request.user, request_id=req.pk, note=note)
            messages.success(
                request,
                _("Approved: %(user)s may open it for %(n)s days.") % {"user": req.requester, "n": req.days},
            )
        else:
            services.access_request_reject(actor=request.user, request_id=req.pk, note=note)
            messages.success(request, _("Rejected."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (WorkflowConflict, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not decide this request."))
    return redirect("archive:requests")


@login_required
@permission_required("archive.add_accessrequest", raise_exception=True)
def mine(request):
    requests_ = list(my_requests(user=request.user)[:200])
    services.access_requests_seen(actor=request.user)
    now = timezone.now()
    return render(
        request,
        "archive/mine.html",
        {"title": _("My access requests"), "requests": requests_, "now": now, "S": RequestStatus},
    )


@login_required
@permission_required("archive.view_accesslog", raise_exception=True)
def access_log(request):
    entries, form = access_log_list(user=request.user, params=request.GET)
    if request.GET.get("export") == "xlsx":
        headers = [
            pgettext("log", "When"),
            _("User"),
            _("Order"),
            _("Document"),
            _("Version"),
            _("Action"),
            _("Confidentiality"),
        ]
        rows = (
            (
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                str(e.user),
                e.document.order.number,
                e.document.title,
                e.version,
                str(e.get_action_display()),
                str(e.document.get_level_display()),
            )
            for e in entries.iterator(chunk_size=2000)
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return FileResponse(
            write_report(_("Access log"), headers, rows),
            as_attachment=True,
            filename=f"archive-access-log-{stamp}.xlsx",
            content_type=XLSX,
        )
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "archive/log.html",
        {
            "title": _("Archive access log"),
            "entries": entries[:500],
            "form": form,
            "query": query.urlencode(),
        },
    )


@login_required
@permission_required("archive.view_grant", raise_exception=True)
def grants(request):
    return render(
        request,
        "archive/grants.html",
        {"title": _("Access grants"), "grants": grant_list(user=request.user)[:300], "now": timezone.now()},
    )


# What each page serves, for the permission matrix (tests/probes/test_permission_matrix.py).
search.probe_model = document.probe_model = document_file.probe_model = "archive.Document"  # type: ignore[attr-defined]
search.probe_read = document.probe_read = document_file.probe_read = "view"  # type: ignore[attr-defined]
order_view.probe_model, order_view.probe_read = "orders.Order", "view"  # type: ignore[attr-defined]
upload.role_action = (Document, "add")  # type: ignore[attr-defined]
dossier.role_action = (Document, "view")  # type: ignore[attr-defined]
request_access.probe_model, request_access.probe_write = AccessRequest, "add"  # type: ignore[attr-defined]
decide.probe_model, decide.probe_write = AccessRequest, "approve"  # type: ignore[attr-defined]
requests_inbox.probe_model = mine.probe_model = AccessRequest  # type: ignore[attr-defined]
mine.probe_read = "view"  # type: ignore[attr-defined]
access_log.probe_model, access_log.probe_read = "archive.AccessLog", "view"  # type: ignore[attr-defined]
grants.probe_model, grants.probe_read = "archive.Grant", "view"  # type: ignore[attr-defined]
