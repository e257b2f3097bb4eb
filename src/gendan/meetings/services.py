"""Coordination meetings (协调会, R-4.3): call one, build its agenda from open issues, record who
came, a decision per agenda issue and the actions agreed (each followed up as an issue), mark it
held, send the minutes. Every step checks who may take it (querysets.py), is audited on the
meeting and on the timeline of each order whose issues it discussed, and tells those concerned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.audit import audit_record, snapshot
from gendan.core.exceptions import WorkflowConflict
from gendan.issues.choices import OPEN_STATES, IssueKind, IssueSource
from gendan.issues.models import Issue
from gendan.issues.services import issue_open_from, issue_update
from gendan.orders.models import Order

from .choices import EDITABLE_STATES, TRANSITIONS, MeetingStatus, Step
from .models import ActionItem, AgendaItem, Meeting
from .querysets import may_call_meetings

NUMBER_PREFIX = "HY"
NUMBER_ATTEMPTS = 8
TITLE_MAX = 200
PLACE_MAX = 100
TEXT_MAX = 5000
AGENDA_MAX = 100  # issues one meeting may take on its agenda
EDITABLE = ("title", "held_on", "place", "chair")


# --- shared --------------------------------------------------------------------------------------


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def _order_ids(meeting: Meeting) -> list[int]:
    return sorted(
        set(
            AgendaItem.objects.filter(meeting=meeting, issue__order__isnull=False).values_list(
                "issue__order_id", flat=True
            )
        )
    )


def _audit(actor, meeting: Meeting, action: str, *, note: Any = "", order_ids: Iterable[int] = (), **kw):
    """On the meeting, and on the timeline of each order named (the meeting in the note)."""
    audit_record(actor=actor, obj=meeting, action=action, note=note, **kw)

    def on_order():
        said = note() if callable(note) else note
        return f"{meeting.number}: {said}" if said else f"{meeting.number} {meeting.title}"

    for order in Order.objects.filter(pk__in=set(order_ids)).order_by("pk"):
        audit_record(actor=actor, obj=order, action=action, note=on_order, changes={}, scope=order.scope)


def _meeting_for(actor, meeting_id: int, action: str = "change", *, lock: bool = False) -> Meeting:
    meetings = Meeting.objects.select_for_update(of=("self",)) if lock else Meeting.objects.all()
    return meetings.get_for(actor, action, pk=meeting_id)


def _editable(meeting: Meeting) -> None:
    if meeting.status not in EDITABLE_STATES:
        raise WorkflowConflict(_("The minutes of this meeting are sent: it is not changed any more."))


def _clean_text(value: str, name: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({name: _("At most %(n)s characters.") % {"n": limit}})
    return value


def _active_user(user, name: str) -> User:
    if user is None or not isinstance(user, User) or not user.is_active:
        raise ValidationError({name: _("Choose an active user.")})
    return user


def _check_when(held_on) -> None:
    if not isinstance(held_on, dt.datetime):
        raise ValidationError({"held_on": _("Enter the date and time of the meeting.")})
    today = timezone.localdate()
    if not today - dt.timedelta(days=3650) <= timezone.localdate(held_on) <= today + dt.timedelta(days=3650):
        raise ValidationError({"held_on": _("Enter a date within ten years of today.")})


def _next_number(year: int) -> str:
    prefix = f"{NUMBER_PREFIX}-{year}-"
    last = (
        Meeting.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    return f"{prefix}{seq:04d}"


def _insert_numbered(meeting: Meeting) -> Meeting:
    """Save under the next free HY-<year>-<nnnn>; of two saved at once the second takes the next."""
    year = timezone.localdate().year
    for _attempt in range(NUMBER_ATTEMPTS):
        meeting.number = _next_number(year)
        try:
            with transaction.atomic():
                meeting.save(force_insert=True)
            return meeting
        except IntegrityError:
            meeting.pk = None
    raise WorkflowConflict(_("Could not give the meeting a number; please try again."))


# --- calling and editing -------------------------------------------------------------------------


def meeting_create(
    *,
    actor,
    title: str,
    held_on: dt.datetime,
    place: str = "",
    chair=None,
    attendees: Iterable = (),
) -> Meeting:
    """Call a meeting (numbered HY-<year>-<nnnn>); its chair is the caller unless he names one."""
    if actor is not None and not may_call_meetings(actor):
        raise PermissionDenied(_("You may not call a coordination meeting."))
    title = _clean_text(title, "title", TITLE_MAX, required=True)
    place = _clean_text(place, "place", PLACE_MAX)
    _check_when(held_on)
    chair = _active_user(chair or actor, "chair")
    people = [_active_user(u, "attendees") for u in attendees]
    meeting = Meeting(title=title, held_on=held_on, place=place, chair=chair, created_by=actor)
    with transaction.atomic():
        _insert_numbered(meeting)
        meeting.attendees.set({chair, *people})
        _audit(actor, meeting, "create", before={}, after=snapshot(meeting))
    _tell_invited(meeting, [u for u in {chair, *people} if u.pk != getattr(actor, "pk", None)])
    return meeting


def meeting_update(*, actor, meeting_id: int, data: dict) -> Meeting:
    """Change the title, time, place or chair of a meeting whose minutes are not sent."""
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    with transaction.atomic():
        meeting = _meeting_for(actor, meeting_id, lock=True)
        _editable(meeting)
        before = snapshot(meeting)
        if "title" in data:
            meeting.title = _clean_text(data["title"], "title", TITLE_MAX, required=True)
        if "place" in data:
            meeting.place = _clean_text(data["place"], "place", PLACE_MAX)
        if "held_on" in data:
            _check_when(data["held_on"])
            meeting.held_on = data["held_on"]
        if "chair" in data:
            meeting.chair = _active_user(data["chair"], "chair")
        after = snapshot(meeting)
        if after != before:
            meeting.save()
            _audit(actor, meeting, "update", before=before, after=after)
    return meeting


def attendees_set(*, actor, meeting_id: int, users: Iterable) -> Meeting:
    """Record who attends (the chair always does)."""
    people = [_active_user(u, "attendees") for u in users]
    with transaction.atomic():
        meeting = _meeting_for(actor, meeting_id, lock=True)
        _editable(meeting)
        before = sorted(meeting.attendees.values_list("username", flat=True))
        meeting.attendees.set({meeting.chair, *people})
        after = sorted(meeting.attendees.values_list("username", flat=True))
        if after != before:
            _audit(actor, meeting, "meeting_attendees", changes={"attendees": [before, after]})
    return meeting


# --- the agenda ----------------------------------------------------------------------------------


def agenda_candidates(
    *, user, order=None, department=None, older_than_days: int | None = None, meeting: Meeting | None = None
):
    """Open issues `user` may see, chosen by order, responsible department or age (opened more
    than that many days ago), oldest first; those already on `meeting`'s agenda left out."""
    issues = Issue.objects.restrict(user, "view").filter(status__in=OPEN_STATES)
    if order is not None:
        issues = issues.filter(order=order)
    if department is not None:
        issues = issues.filter(responsible_department=department)
    if older_than_days is not None:
        issues = issues.filter(opened_at__lt=timezone.now() - dt.timedelta(days=int(older_than_days)))
    if meeting is not None:
        issues = issues.exclude(agenda_items__meeting=meeting)
    return issues.select_related("order", "responsible_department", "owner").order_by("opened_at", "pk")


def agenda_add(*, actor, meeting_id: int, issue_ids: Iterable[int]) -> list[AgendaItem]:
    """Put open issues the actor may see on the agenda (one already there is not added twice)."""
    ids = sorted({int(i) for i in issue_ids})
    if not ids:
        raise ValidationError({"issues": _("Choose at least one issue.")})
    with transaction.atomic():
        meeting = _meeting_for(actor, meeting_id, lock=True)
        _editable(meeting)
        issues = list(
            Issue.objects.restrict(actor, "view")
            .filter(pk__in=ids, status__in=OPEN_STATES)
            .exclude(agenda_items__meeting=meeting)
            .order_by("opened_at", "pk")
        )
        found = {i.pk for i in issues} | set(
            AgendaItem.objects.filter(meeting=meeting, issue_id__in=ids).values_list("issue_id", flat=True)
        )
        if set(ids) - found:
            raise ValidationError({"issues": _("Only open issues you may see can go on the agenda.")})
        if meeting.agenda.count() + len(issues) > AGENDA_MAX:
            raise ValidationError({"issues": _("At most %(n)s issues on one agenda.") % {"n": AGENDA_MAX}})
        start = (meeting.agenda.aggregate(m=Max("position"))["m"] or 0) + 1
        items = AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, issue=issue, position=start + n) for n, issue in enumerate(issues)]
        )
        if issues:
            numbers = ", ".join(i.number for i in issues)
            _audit(
                actor,
                meeting,
                "meeting_agenda",
                note=lambda: _("On the agenda: %(issues)s") % {"issues": numbers},
                order_ids={i.order_id for i in issues if i.order_id},
            )
    return items


def agenda_remove(*, actor, item_id: int) -> None:
    """Take an issue off the agenda of a meeting not yet held (if nothing was decided about it)."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("issue").get_for(actor, "change", pk=item_id)
        meeting = _meeting_for(actor, item.meeting_id, lock=True)
        if meeting.status != MeetingStatus.DRAFT:
            raise WorkflowConflict(_("The meeting is held: its agenda stays as discussed."))
        if item.decision or item.actions.exists():
            raise ValidationError({"item": _("A decision or an action is recorded on this issue.")})
        item.delete()
        _audit(actor, meeting, "meeting_agenda_removed", note=item.issue.number)


# --- decisions and actions -----------------------------------------------------------------------


def decision_record(
    *, actor, item_id: int, decision: str, due_date: dt.date | None = None, owner=None
) -> AgendaItem:
    """Record what the meeting decided about an agenda issue; optionally give the issue a new due
    date or owner (through the issue register, with its rules: the actor must be allowed to)."""
    decision = _clean_text(decision, "decision", TEXT_MAX, required=True)
    if owner is not None:
        _active_user(owner, "owner")
    with transaction.atomic():
        item = AgendaItem.objects.select_related("issue").get_for(actor, "change", pk=item_id)
        meeting = _meeting_for(actor, item.meeting_id, lock=True)
        _editable(meeting)
        changes = {}
        if due_date is not None and due_date != item.issue.due_date:
            changes["due_date"] = due_date
        if owner is not None and owner.pk != item.issue.owner_id:
            changes["owner"] = owner
        if changes:
            issue_update(actor=actor, issue_id=item.issue_id, data=changes)
        AgendaItem.objects.filter(pk=item.pk).update(
            decision=decision, decided_by=actor, decided_at=timezone.now()
        )
        item.refresh_from_db()
        number = item.issue.number
        _audit(
            actor,
            meeting,
            "meeting_decision",
            note=lambda: f"{number}: {decision[:300]}",
            order_ids=[item.issue.order_id] if item.issue.order_id else [],
        )
    return item


def action_add(
    *, actor, meeting_id: int, text: str, owner, due_date: dt.date, agenda_item: AgendaItem | None = None
) -> ActionItem:
    """Record an action agreed in the meeting, followed up as an issue of the owner's department
    (source "meeting"; the agenda issue's kind and order if it comes from one), so reminders and
    escalation follow it like any issue."""
    text = _clean_text(text, "text", TEXT_MAX, required=True)
    owner = _active_user(owner, "owner")
    if owner.department_id is None:
        raise ValidationError({"owner": _("The owner belongs to no department to answer for it.")})
    if not isinstance(due_date, dt.date):
        raise ValidationError({"due_date": _("Enter the date it is due.")})
    if due_date < timezone.localdate() or due_date > timezone.localdate() + dt.timedelta(days=3650):
        raise ValidationError({"due_date": _("Enter a date from today on, within ten years.")})
    with transaction.atomic():
        meeting = _meeting_for(actor, meeting_id, lock=True)
        _editable(meeting)
        source_issue = None
        if agenda_item is not None:
            if agenda_item.meeting_id != meeting.pk:
                raise ValidationError({"agenda_item": _("This item is on another meeting's agenda.")})
            source_issue = agenda_item.issue
        action = ActionItem.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            text=text,
            owner=owner,
            due_date=due_date,
            created_by=actor,
        )
        issue = issue_open_from(
            actor=actor,
            kind=source_issue.kind if source_issue is not None else IssueKind.OTHER,
            source=IssueSource.MEETING,
            title=text.splitlines()[0][:TITLE_MAX],
            description=_("Agreed in coordination meeting %(number)s: %(text)s")
            % {"number": meeting.number, "text": text},
            order=source_issue.order if source_issue is not None else None,
            responsible_department=owner.department,
            owner=owner,
            due_date=due_date,
            fingerprint=f"meeting-action:{action.pk}",
        )
        ActionItem.objects.filter(pk=action.pk).update(issue=issue)
        action.issue = issue
        _audit(
            actor,
            meeting,
            "meeting_action",
            note=lambda: f"{issue.number} {owner} {due_date}: {text[:300]}",
            order_ids=[issue.order_id] if issue.order_id else [],
        )
    return action


# --- the steps -----------------------------------------------------------------------------------


def _move(*, actor, meeting: Meeting, to: str, step: str, extra: dict | None = None) -> Meeting:
    """The conditional UPDATE from the status the caller saw: of two at once one wins."""
    seen = meeting.status
    if TRANSITIONS.get(seen, {}).get(to) != step:
        raise WorkflowConflict(
            _("A meeting that is “%(current)s” cannot become “%(target)s”.")
            % {"current": MeetingStatus(seen).label, "target": MeetingStatus(to).label}
        )
    won = Meeting.objects.filter(pk=meeting.pk, status=seen).update(
        status=to, updated_at=timezone.now(), **(extra or {})
    )
    if not won:
        raise WorkflowConflict(
            _("Someone else changed meeting %(number)s first; reload and try again.")
            % {"number": meeting.number}
        )
    meeting.refresh_from_db()
    _audit(
        actor,
        meeting,
        f"meeting:{step}",
        changes={"status": [seen, to]},
        order_ids=_order_ids(meeting),
    )
    return meeting


def meeting_hold(*, actor, meeting_id: int) -> Meeting:
    """The meeting took place: its decisions and actions are recorded from now on."""
    with transaction.atomic():
        meeting = _meeting_for(actor, meeting_id)
        return _move(
            actor=actor,
            meeting=meeting,
            to=MeetingStatus.HELD,
            step=Step.HOLD,
            extra={"held_at": timezone.now()},
        )


def minutes_send(*, actor, meeting_id: int) -> Meeting:
    """Send the minutes to the attendees (a decision on every agenda issue first); the meeting is
    closed for changes, its actions followed up as issues."""
    with transaction.atomic():
        meeting = _meeting_for(actor, meeting_id)
        if meeting.status == MeetingStatus.HELD:
            undecided = list(meeting.agenda.filter(decision="").values_list("issue__number", flat=True)[:10])
            if undecided:
                raise ValidationError(
                    {
                        "decision": _("Record a decision on %(issues)s first.")
                        % {"issues": ", ".join(undecided)}
                    }
                )
        meeting = _move(
            actor=actor,
            meeting=meeting,
            to=MeetingStatus.MINUTES_SENT,
            step=Step.SEND,
            extra={"minutes_sent_at": timezone.now()},
        )
        _tell_minutes(meeting)
    return meeting


# --- who is told ---------------------------------------------------------------------------------


def _tell_invited(meeting: Meeting, people: list) -> None:
    from gendan.notifications.services import notify

    number, title, when = meeting.number, meeting.title, timezone.localtime(meeting.held_on)
    place = meeting.place
    notify(
        event="meeting.called",
        recipients=people,
        title=lambda lang: (
            _("Coordination meeting %(number)s at %(when)s: %(title)s")
            % {"number": number, "when": f"{when:%Y-%m-%d %H:%M}", "title": title}
        ),
        body=place,
        url=meeting_url(meeting),
        obj=meeting,
    )


def _tell_minutes(meeting: Meeting) -> None:
    """The attendees get the minutes: a message with the link to the PDF (by e-mail for those who
    take e-mail, through the notifications outbox)."""
    from gendan.notifications.services import absolute_url, notify

    number, title = meeting.number, meeting.title
    link = absolute_url(reverse("meetings:meeting_pdf", args=[meeting.pk]))
    people = list(meeting.attendees.filter(is_active=True)) + [
        a.owner for a in meeting.actions.select_related("owner")
    ]
    notify(
        event="meeting.minutes",
        recipients=people,
        title=lambda lang: (
            _("Minutes of coordination meeting %(number)s: %(title)s") % {"number": number, "title": title}
        ),
        body=lambda lang: _("The minutes (PDF): %(url)s") % {"url": link},
        url=reverse("meetings:meeting_pdf", args=[meeting.pk]),
        obj=meeting,
    )
