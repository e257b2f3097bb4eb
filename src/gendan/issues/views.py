"""Issue register pages (R-2.6, R-4.3) and the maintenance records of work centres (R-6.2)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.crud import Col, EntityViews
from gendan.core.fieldaccess import redact_entries
from gendan.core.services import record_create

from . import services
from .filters import IssueFilter, MaintenanceFilter
from .forms import CloseForm, IssueForm, MaintenanceForm, NoteForm, ReopenForm, SolutionForm
from .hooks import linked_records
from .models import Issue, MaintenanceRecord
from .selectors import IssueActions, issue_history, issue_list, issue_notes, maintenance_list


class DueCol(Col):
    """The due date, marked when it has passed on an open issue."""

    def _late(self, obj) -> bool:
        return obj.status != "closed" and obj.due_date is not None and obj.due_date < timezone.localdate()

    def css(self, obj) -> str:
        return "badge danger" if self._late(obj) else ""

    def value(self, obj):
        value = super().value(obj)
        return _("%(date)s · overdue") % {"date": value} if self._late(obj) else value


class IssueViews(EntityViews):
    model, namespace, slug = Issue, "issues", "issues"
    form_class, filterset_class = IssueForm, IssueFilter
    actions = frozenset({"create", "edit"})
    default_sort = "-opened_at"
    detail_exclude = (
        "id",
        "fingerprint",
        "updated_at",
        "reminded_at",
        "order",
        "operation",
        "work_centre",
        "title",
    )
    columns = [
        Col("number", gettext_lazy("Number"), "number", link=True),
        Col("title", gettext_lazy("Title"), phone=True),
        Col("kind", gettext_lazy("Kind"), "kind"),
        Col("severity", gettext_lazy("Severity"), "severity_rank", badge=True, phone=True),
        Col("status", gettext_lazy("Status"), "status", badge=True, phone=True),
        Col("order.number", gettext_lazy("Order"), "order__number"),
        Col("responsible_department", gettext_lazy("Responsible department"), "responsible_department__code"),
        Col("owner", gettext_lazy("Owner"), "owner__username"),
        DueCol("due_date", gettext_lazy("Due"), "due_date", phone=True),
        Col(
            "opened_at",
            gettext_lazy("Opened"),
            "opened_at",
            fmt=lambda v: timezone.localtime(v).strftime("%Y-%m-%d"),
        ),
    ]

    def queryset(self, user, action="view"):
        return issue_list(user=user, action=action)

    def create(self, *, actor, data):
        return services.issue_open(actor=actor, **data)

    def update(self, *, actor, pk, data):
        data = {k: v for k, v in data.items() if k in services.EDITABLE}  # the API's unchanged rest
        return services.issue_update(actor=actor, issue_id=pk, data=data)

    def history(self, user, obj):
        return issue_history(issue=obj)

    def initial_from_query(self, request) -> dict:
        initial = super().initial_from_query(request)
        # Opened from an operation: its order too.
        from django.apps import apps

        op = request.GET.get("operation", "")
        if op.isascii() and op.isdigit() and len(op) < 19 and "order" not in initial:
            OrderOperation = apps.get_model("planning", "OrderOperation")
            order_id = OrderOperation.objects.filter(pk=int(op)).values_list("order_id", flat=True).first()
            if order_id:
                initial["order"] = order_id
        return initial

    def list_view(self, request):
        response = super().list_view(request)
        check = self.filterset_class(request.GET, queryset=Issue.objects.none(), request=request)
        if not check.is_valid():
            response.status_code = 400  # a filter with a value it cannot take: said on the page
        return response

    def detail_view(self, request, pk):
        self.require(request, "view")
        issue = self.get_object(request, pk)
        can = IssueActions(user=request.user, issue=issue)
        context = self.base_context(request, issue) | {
            "obj": issue,
            "issue": issue,
            "fields": self.detail_fields(issue, self.hidden(request.user)),
            "notes": list(issue_notes(issue=issue)),
            "history": redact_entries(request.user, issue_history(issue=issue)[:50]),
            "maintenance": list(issue.maintenance.all()[:20]),
            # What the apps above put here (issues.hooks): where it comes from, its escalations,
            # the meetings that discussed it.
            "linked": linked_records(request.user, issue),
            "can": can,
            "solution_form": SolutionForm(initial={"solution": issue.solution}),
            "close_form": CloseForm(),
            "reopen_form": ReopenForm(),
            "note_form": NoteForm(),
        }
        return render(request, "issues/detail.html", context)


class MaintenanceViews(EntityViews):
    model, namespace, slug = MaintenanceRecord, "issues", "maintenance"
    form_class, filterset_class = MaintenanceForm, MaintenanceFilter
    actions = frozenset({"create", "edit"})
    default_sort = "-date"
    columns = [
        Col("date", gettext_lazy("Date"), "date", link=True),
        Col("work_centre", gettext_lazy("Work centre"), "work_centre__code", phone=True),
        Col("kind", gettext_lazy("Kind"), "kind", phone=True),
        Col("description", gettext_lazy("Work done"), get=lambda o: o.description[:80]),
        Col("downtime_hours", gettext_lazy("Downtime (h)"), "downtime_hours", numeric=True),
        Col("performed_by", gettext_lazy("Performed by"), "performed_by"),
        Col("next_due", gettext_lazy("Next due"), "next_due"),
        Col("issue.number", gettext_lazy("Breakdown"), "issue__number"),
    ]

    def queryset(self, user, action="view"):
        return maintenance_list(user=user, action=action)

    def create(self, *, actor, data):
        return record_create(actor=actor, model=MaintenanceRecord, data={**data, "recorded_by": actor})

    def list_view(self, request):
        response = super().list_view(request)
        if not self.filterset_class(request.GET, queryset=MaintenanceRecord.objects.none()).is_valid():
            response.status_code = 400
        return response


issues = IssueViews()
maintenance = MaintenanceViews()
