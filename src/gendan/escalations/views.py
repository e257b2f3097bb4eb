"""Escalation's pages: the set-up (ladders, levels, rules: core.crud), the inbox (mine, or all for
management), one escalation with its acknowledgement, an issue's escalations with "escalate"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gendan.core.crud import Col, EntityViews, Related
from gendan.core.exceptions import WorkflowConflict
from gendan.issues.models import Issue

from . import services
from .filters import EscalationFilter, LadderFilter, LadderLevelFilter, RuleFilter
from .forms import AcknowledgeForm, EscalateForm, LadderForm, LadderLevelForm, RuleForm
from .models import Escalation, Ladder, LadderLevel, Rule
from .selectors import (
    escalation_get,
    escalation_history,
    escalation_list,
    issue_escalations,
    levels_above,
    may_acknowledge,
    may_escalate,
)
from .services.flow import live_of

PER_PAGE = 50


class _Checked(EntityViews):
    """Writes go through the set-up's services, which refuse a set-up that would loop."""

    save = None

    def create(self, *, actor, data):
        return type(self).save(actor=actor, data=data)

    def update(self, *, actor, pk, data):
        return type(self).save(actor=actor, data=data, pk=pk)

    def set_archived(self, *, actor, pk, archived):
        return services.set_archived(actor=actor, model=self.model, pk=pk, archived=archived)


class LadderViews(_Checked):
    model, namespace, slug = Ladder, "escalations", "ladder"
    form_class, filterset_class = LadderForm, LadderFilter
    save = staticmethod(services.ladder_save)
    columns = [
        Col("code", gettext_lazy("Code"), "code", link=True),
        Col("local_name", gettext_lazy("Name"), "name"),
        Col("is_default", gettext_lazy("Default ladder"), "is_default"),
    ]
    related = [
        Related(
            gettext_lazy("Levels"),
            lambda ladder: ladder.levels.filter(is_archived=False).order_by("position"),
            [
                Col("position", gettext_lazy("Level"), link=True),
                Col("role", gettext_lazy("Who is told")),
                Col("climb_hours", gettext_lazy("Passed up after (hours)")),
            ],
            entity="escalations:level",
            parent_param="ladder",
        )
    ]


class LadderLevelViews(_Checked):
    model, namespace, slug = LadderLevel, "escalations", "level"
    form_class, filterset_class = LadderLevelForm, LadderLevelFilter
    save = staticmethod(services.level_save)
    default_sort = "ladder__code"
    select_related = ("ladder",)
    columns = [
        Col("ladder", gettext_lazy("Ladder"), "ladder__code", phone=True),
        Col("position", gettext_lazy("Level"), "position", link=True, phone=True),
        Col("role", gettext_lazy("Who is told"), "role", phone=True),
        Col("climb_hours", gettext_lazy("Passed up after (hours)"), "climb_hours", phone=True),
    ]


class RuleViews(_Checked):
    model, namespace, slug = Rule, "escalations", "rule"
    form_class, filterset_class = RuleForm, RuleFilter
    save = staticmethod(services.rule_save)
    select_related = ("ladder",)
    columns = [
        Col("code", gettext_lazy("Code"), "code", link=True),
        Col("local_name", gettext_lazy("Name"), "name"),
        Col("kind", gettext_lazy("When"), "kind", phone=True),
        Col("min_severity", gettext_lazy("Severity at least"), "min_severity", phone=True),
        Col("threshold", gettext_lazy("Threshold"), "threshold", phone=True),
        Col("ladder", gettext_lazy("Ladder"), "ladder__code"),
        Col("level", gettext_lazy("Escalate to level"), "level", phone=True),
    ]


ladders = LadderViews()
levels = LadderLevelViews()
rules = RuleViews()
ALL = [ladders, levels, rules]


# ---------------------------------------------------------------- escalations


def _may_read(user) -> None:
    if not Escalation.objects.all().role_allows(user, "view"):
        raise PermissionDenied


@login_required
@require_GET
def inbox(request):
    """Mine (told to me) or all I may see (management: every one), open or all, filtered, paged."""
    _may_read(request.user)
    filterset = EscalationFilter(request.GET, queryset=Escalation.objects.none(), request=request)
    rows = (
        escalation_list(user=request.user, filters=request.GET, request=request)
        if filterset.is_valid()
        else (Escalation.objects.none())
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "escalations/rows.html" if request.htmx else "escalations/inbox.html"
    return render(
        request,
        template,
        {"title": _("Escalations"), "filter": filterset, "page": page, "query": query.urlencode()},
    )


def _escalation(request, pk) -> Escalation:
    try:
        return escalation_get(user=request.user, pk=pk)
    except Escalation.DoesNotExist:
        raise Http404 from None


def _chain(escalation: Escalation) -> list[Escalation]:
    """Where it came from, bottom first (a ladder has at most a few levels)."""
    chain, current = [], escalation.climbed_from
    while current is not None and len(chain) < 10:
        chain.insert(0, current)
        current = current.climbed_from
    return chain


@login_required
@require_GET
def detail(request, pk):
    escalation = _escalation(request, pk)
    return render(
        request,
        "escalations/detail.html",
        {
            "title": _("Escalation of issue %(number)s") % {"number": escalation.issue.number},
            "e": escalation,
            "chain": _chain(escalation),
            "next": getattr(escalation, "climbed_to", None) if escalation.status == "climbed" else None,
            "history": escalation_history(escalation),
            "can_acknowledge": may_acknowledge(request.user, escalation),
            "ack_form": AcknowledgeForm(),
        },
    )


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(" ".join(msgs) for msgs in exc.message_dict.values())
    return " ".join(exc.messages)


@login_required
@require_POST
def acknowledge(request, pk):
    escalation = _escalation(request, pk)  # 404 for one he may not see
    if not Escalation.objects.all().role_allows(request.user, "acknowledge"):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("At most %(n)s characters.") % {"n": 1000})
        services.escalation_acknowledge(
            actor=request.user, escalation_id=escalation.pk, note=form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("You acknowledged the escalation of issue %(number)s.") % {"number": escalation.issue.number},
        )
    except WorkflowConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("escalations:detail", pk=escalation.pk)


def _issue(request, pk) -> Issue:
    return get_object_or_404(Issue.objects.restrict(request.user, "view").select_related("order"), pk=pk)


def _issue_page(request, obj: Issue, form=None):
    live = live_of(obj.pk)
    try:
        ladder = live.ladder if live else services.default_ladder()
        choices = levels_above(obj, ladder)
    except ValidationError:
        choices = []
    allowed = may_escalate(request.user, obj)
    form = form or EscalateForm(levels=choices)
    return render(
        request,
        "escalations/issue.html",
        {
            "title": _("Escalations of issue %(number)s") % {"number": obj.number},
            "issue": obj,
            "rows": issue_escalations(user=request.user, issue=obj),
            "form": form if allowed and choices else None,
        },
    )


@login_required
@require_GET
def issue(request, pk):
    """An issue's escalations, and the form to escalate it by hand."""
    _may_read(request.user)
    return _issue_page(request, _issue(request, pk))


@login_required
@require_POST
def escalate(request, pk):
    """Escalate an issue by hand, with a reason: whoever is involved in it (403 otherwise)."""
    _may_read(request.user)
    obj = _issue(request, pk)
    if not may_escalate(request.user, obj):
        raise PermissionDenied
    live = live_of(obj.pk)
    try:
        choices = levels_above(obj, live.ladder if live else services.default_ladder())
    except ValidationError:
        choices = []
    form = EscalateForm(request.POST, levels=choices)
    if form.is_valid():
        try:
            created = services.escalation_raise(
                actor=request.user,
                issue_id=obj.pk,
                reason=form.cleaned_data["reason"],
                level_id=form.cleaned_data["level"],
            )
            messages.success(
                request,
                _("Issue %(number)s is escalated to %(role)s.")
                % {"number": obj.number, "role": created.get_role_display()},
            )
            return redirect("escalations:detail", pk=created.pk)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except WorkflowConflict as exc:
            messages.error(request, str(exc))
    response = _issue_page(request, obj, form)
    response.status_code = 400
    return response


inbox.probe_model = "escalations.Escalation"  # type: ignore[attr-defined]
detail.probe_model = "escalations.Escalation"  # type: ignore[attr-defined]
acknowledge.probe_model = "escalations.Escalation"  # type: ignore[attr-defined]
acknowledge.probe_write = "acknowledge"  # type: ignore[attr-defined]
issue.probe_model = "issues.Issue"  # type: ignore[attr-defined]
escalate.probe_model = "issues.Issue"  # type: ignore[attr-defined]
escalate.probe_write = "escalations.add_escalation"  # type: ignore[attr-defined]
