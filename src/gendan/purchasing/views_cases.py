"""Supplier cases' pages (R-3.6): the list (filters: status, supplier, disposition, open or closed,
overdue), one case with its rejected receipt, its history and the steps the reader may take. Thin:
read a selector, call a service, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.core.registry import record_links

from .choices import CASE_STEP_ACTION, CaseStep
from .filters_cases import SupplierCaseFilter
from .forms_cases import ApproveForm, DecideForm, ReasonForm, ReturnForm, form_errors
from .models import SupplierCase
from .selectors_cases import case_get, case_history, case_list, case_steps
from .services import cases as svc

PER_PAGE = 50


def _may_read(user) -> None:
    if not SupplierCase.objects.all().role_allows(user, "view"):
        raise PermissionDenied


@login_required
@require_GET
def cases(request):
    _may_read(request.user)
    filterset = SupplierCaseFilter(request.GET or None, queryset=SupplierCase.objects.none())
    if request.GET and not filterset.is_valid():
        rows = SupplierCase.objects.none()
    else:
        rows = case_list(user=request.user, filters=request.GET)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "purchasing/case_rows.html" if request.htmx else "purchasing/case_list.html"
    return render(
        request,
        template,
        {"title": _("Supplier cases"), "filter": filterset, "page": page, "query": query.urlencode()},
    )


def _case(request, pk) -> SupplierCase:
    try:
        return case_get(user=request.user, pk=pk)
    except SupplierCase.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def case_detail(request, pk):
    case = _case(request, pk)
    here = reverse("purchasing:case_detail", args=[case.pk])
    # What other apps link to the receipt (quality's inspection), without this case itself.
    receipt_links = [link for link in record_links(request.user, case.receipt) if link[1] != here]
    return render(
        request,
        "purchasing/case_detail.html",
        {
            "title": _("Supplier case %(number)s") % {"number": case.number},
            "case": case,
            "receipt": case.receipt,
            "receipt_links": receipt_links,
            "history": case_history(case),
            "steps": case_steps(request.user, case),
            "decide_form": DecideForm(),
            "return_form": ReturnForm(),
            "approve_form": ApproveForm(),
            "reason_form": ReasonForm(),
            "followed_by": list(
                SupplierCase.objects.restrict(request.user, "view").filter(follows=case).order_by("pk")
            ),
            "replacements": list(case.replacements.order_by("received_at", "pk")),
        },
    )


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def case_step(step: str):
    """POST only, logged in, on a case the user may see (404 otherwise); his role must allow the
    step at all (403, before the form is read); the service decides the rest."""

    def decorate(func):
        @wraps(func)
        def view(request, pk):
            case = _case(request, pk)
            if not SupplierCase.objects.all().role_allows(request.user, CASE_STEP_ACTION[step]):
                raise PermissionDenied
            try:
                messages.success(request, func(request, case))
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            return redirect("purchasing:case_detail", pk=case.pk)

        guarded = login_required(require_POST(view))
        guarded.probe_model = SupplierCase  # type: ignore[attr-defined]
        guarded.probe_write = CASE_STEP_ACTION[step]  # type: ignore[attr-defined]
        return guarded

    return decorate


def _valid(form):
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form.cleaned_data


@case_step(CaseStep.DECIDE)
def decide(request, case):
    data = _valid(DecideForm(request.POST))
    svc.case_decide(actor=request.user, case=case, **data)
    return _("Case %(number)s decided.") % {"number": case.number}


@case_step(CaseStep.RECORD_RETURN)
def record_return(request, case):
    data = _valid(ReturnForm(request.POST))
    svc.case_return_record(actor=request.user, case=case, **data)
    return _("Return of case %(number)s recorded; the case is closed.") % {"number": case.number}


@case_step(CaseStep.APPROVE)
def approve(request, case):
    data = _valid(ApproveForm(request.POST))
    svc.case_concession_approve(actor=request.user, case=case, **data)
    return _("Concession of case %(number)s approved; the quantity is in stock.") % {"number": case.number}


@case_step(CaseStep.REJECT)
def reject(request, case):
    data = _valid(ReasonForm(request.POST))
    svc.case_concession_reject(actor=request.user, case=case, **data)
    return _("Concession of case %(number)s refused; purchasing decides again.") % {"number": case.number}


@case_step(CaseStep.RECONSIDER)
def reconsider(request, case):
    data = _valid(ReasonForm(request.POST))
    svc.case_reconsider(actor=request.user, case=case, **data)
    return _("Case %(number)s is to decide again.") % {"number": case.number}


cases.probe_model = "purchasing.SupplierCase"  # type: ignore[attr-defined]
case_detail.probe_model = "purchasing.SupplierCase"  # type: ignore[attr-defined]
