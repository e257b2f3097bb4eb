"""Who may do what to coordination meetings (core.permissions), after the role table.

- call a meeting (add): management, merchandisers and the managers of departments
  (`may_call_meetings`); the role table gives `meetings.add_meeting` to every staff role, the rule
  here narrows it to those.
- view: everyone involved: its chair, its attendees, who called it, the owners of its actions;
  management every meeting.
- change (agenda, attendees, decisions, actions, mark held, send the minutes): its chair and who
  called it; management always.
Agenda items and action items follow their meeting.
"""

from django.db.models import Q

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet, is_active_user


def may_call_meetings(user) -> bool:
    """May `user` call a coordination meeting?"""
    if not is_active_user(user) or not user.has_perm("meetings.add_meeting"):
        return False
    if user.is_admin or user.role in (Role.MANAGEMENT, Role.MERCHANDISER):
        return True
    return user.managed_departments.filter(is_archived=False).exists()


class MeetingQuerySet(RestrictedQuerySet):
    meeting_path = ""

    def _f(self, **lookups):
        prefix = f"{self.meeting_path}__" if self.meeting_path else ""
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    def permission(self, action):
        if action in ("view", "add", "change"):
            return f"meetings.{action}_meeting"
        return super().permission(action)

    def rows(self, user, action):
        if user.is_admin or user.role == Role.MANAGEMENT:
            return self
        runs = self._f(chair=user) | self._f(created_by=user)
        if action == "view":
            from .models import ActionItem, Meeting

            involved = Meeting.objects.filter(
                Q(attendees=user) | Q(pk__in=ActionItem.objects.filter(owner=user).values("meeting_id"))
            ).values("pk")
            key = f"{self.meeting_path}_id" if self.meeting_path else "pk"
            return self.filter(runs | Q(**{f"{key}__in": involved}))
        if action == "change":
            return self.filter(runs)
        return self


class AgendaItemQuerySet(MeetingQuerySet):
    meeting_path = "meeting"


class ActionItemQuerySet(MeetingQuerySet):
    meeting_path = "meeting"
