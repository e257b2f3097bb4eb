"""After-sales pages (R-5.3): the complaint list (filters, Excel export), recording one, the
complaint's page (trace-back, photos, investigation, reply, rating, its steps), the reply PDF, an
order's satisfaction page, and the customer's public rating page (rate.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from gendan.accounts.roles import can_see
from gendan.core.crud import Col, EntityViews
from gendan.core.fieldaccess import redact_entries
from gendan.core.selectors import history_for
from gendan.core.uploads import attachment_response
from gendan.orders.models import Order

from . import services
from .choices import STEP_ACTION, TRANSITIONS, ComplaintStatus, Step
from .filters import ComplaintFilter
from .forms import (
    CloseForm,
    ComplaintForm,
    FindingsForm,
    LinkForm,
    PhotoForm,
    RatingForm,
    ReasonForm,
    ReplyForm,
)
from .models import Complaint, ComplaintPhoto, Rating
from .pdf_reply import reply_pdf
from .selectors import complaint_full, complaint_list, links_of, quality_actions_for, trace_back


class ComplaintViews(EntityViews):
    model, namespace, slug = Complaint, "aftersales", "complaint"
    form_class, filterset_class = ComplaintForm, ComplaintFilter
    actions = frozenset({"create"})
    default_sort = "-received_on"
    columns = [
        Col("number", gettext_lazy("Number"), "number", link=True),
        Col("order.number", gettext_lazy("Order"), "order__number", phone=True),
        Col("order.customer", gettext_lazy("Customer"), "order__customer__name"),
        Col("order_line.product", gettext_lazy("Product"), None),
        Col(
            "quantity", gettext_lazy("Quantity"), "quantity", numeric=True, fmt=lambda v: f"{v.normalize():f}"
        ),
        Col("received_on", pgettext_lazy("complaint", "Received on"), "received_on", phone=True),
        Col("severity", gettext_lazy("Severity"), "severity"),
        Col("status", gettext_lazy("Status"), "status", badge=True, phone=True),
    ]

    def queryset(self, user, action="view"):
        return complaint_list(user=user, action=action)

    def create(self, *, actor, data):
        return services.complaint_create(actor=actor, **data)

    def detail_view(self, request, pk):
        self.require(request, "view")
        complaint = complaint_full(self.get_object(request, pk))
        user = request.user
        may = Complaint.objects.allowed_actions(user, complaint, {"change", "investigate"})
        steps = [
            (step, Step(step).label)
            for step in TRANSITIONS.get(complaint.status, {}).values()
            if STEP_ACTION[step] in may and not (step == Step.ANSWER and not complaint.investigated)
        ]
        investigating = complaint.status == ComplaintStatus.INVESTIGATING
        rating = Rating.objects.filter(complaint=complaint).first()
        may_rate = (
            "change" in may
            and rating is None
            and complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)
            and user.has_perm("aftersales.add_rating")
        )
        context = self.base_context(request, complaint) | {
            "obj": complaint,
            "complaint": complaint,
            "show_contact": can_see(user, "customer_contacts"),
            "trace": trace_back(user=user, complaint=complaint),
            "photos": list(complaint.photos.all()),
            "steps": steps,
            "can_change": "change" in may,
            "photo_form": PhotoForm()
            if "change" in may and complaint.status != ComplaintStatus.CLOSED
            else None,
            "findings_form": FindingsForm(
                initial={
                    "root_cause": complaint.root_cause,
                    "containment": complaint.containment,
                    "corrective_action": complaint.corrective_action,
                    "action_owner": complaint.action_owner_id,
                    "action_due": complaint.action_due,
                },
                actions=list(quality_actions_for(complaint)[:50]),
            )
            if "investigate" in may and investigating
            else None,
            "reply_form": ReplyForm(initial={"reply": complaint.reply}),
            "reason_form": ReasonForm(),
            "close_form": CloseForm(),
            "rating": rating,
            "rating_form": RatingForm() if may_rate else None,
            "link_form": LinkForm() if may_rate and user.has_perm("aftersales.add_ratinglink") else None,
            "links": list(links_of(user=user, order=complaint.order, complaint=complaint)[:10])
            if "change" in may
            else [],
            "new_link": request.session.pop(f"aftersales-link-{complaint.pk}", ""),
            "history": redact_entries(user, history_for(user=user, obj=complaint)[:30]),
        }
        return render(request, "aftersales/detail.html", context)


complaints = ComplaintViews()


@login_required
@require_GET
def pdf_view(request, pk):
    complaint = complaints.get_object(request, pk)
    lang = "en" if request.GET.get("lang") == "en" else "zh-hans"
    response = HttpResponse(reply_pdf(complaint, lang=lang), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{complaint.number}.pdf"'
    return response


@login_required
@require_GET
def photo_view(request, pk, photo_id):
    """Photos are always downloaded, never shown inline (an uploaded file cannot run)."""
    complaint = complaints.get_object(request, pk)
    found = get_object_or_404(ComplaintPhoto.objects.filter(complaint=complaint), pk=photo_id)
    return attachment_response(found.file, found.original_name)


@login_required
@require_GET
def order_satisfaction(request, pk):
    """An order's satisfaction: its ratings (the order's and its complaints'), entering one, links."""
    if not Rating.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    order = get_object_or_404(Order.objects.restrict(request.user, "view").select_related("customer"), pk=pk)
    ratings = list(
        Rating.objects.restrict(request.user, "view").filter(order=order).select_related("complaint")
    )
    own = order.merchandiser_id == request.user.pk
    order_rated = any(r.complaint_id is None for r in ratings)
    may_rate = own and not order_rated and request.user.has_perm("aftersales.add_rating")
    context = {
        "order": order,
        "ratings": ratings,
        "complaints": list(complaint_list(user=request.user).filter(order=order)),
        "rating_form": RatingForm() if may_rate else None,
        "link_form": LinkForm() if may_rate and request.user.has_perm("aftersales.add_ratinglink") else None,
        "links": list(links_of(user=request.user, order=order)[:10]) if own else [],
        "new_link": request.session.pop(f"aftersales-order-link-{order.pk}", ""),
    }
    return render(request, "aftersales/order.html", context)


pdf_view.probe_model = photo_view.probe_model = Complaint  # type: ignore[attr-defined]
pdf_view.probe_read = photo_view.probe_read = "view"  # type: ignore[attr-defined]
# Served for an order; who reads it is the role table's view of ratings, so no read is promised.
order_satisfaction.probe_model = Order  # type: ignore[attr-defined]
