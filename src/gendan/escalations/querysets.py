"""Who may see and act on escalations (core.permissions), after the role table (accounts/roles.py).

- view: management and administrators see every escalation; anyone else those he was told of and
  those of issues he is involved in (see `involved`); another department's escalation is a 404.
- acknowledge: only the people told at the escalation's level (the role table first).
- escalate by hand (the issue's "add" of an escalation): whoever is involved in the issue.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet


def involved(user, prefix: str = "") -> Q:
    """Issues `user` is involved in: his department is responsible for it, he owns or opened it,
    it is on an order he follows, or he wrote a note on it."""
    p = f"{prefix}__" if prefix else ""
    outer = f"{prefix}_id" if prefix else "pk"
    notes = apps.get_model("issues", "IssueNote").objects.filter(issue=OuterRef(outer), author=user)
    mine = (
        Q(**{f"{p}owner": user})
        | Q(**{f"{p}opened_by": user})
        | Q(**{f"{p}order__merchandiser": user})
        | Q(Exists(notes))
    )
    if user.department_id:
        mine |= Q(**{f"{p}responsible_department_id": user.department_id})
    return mine


def sees_all(user) -> bool:
    return bool(user.is_admin or user.role == Role.MANAGEMENT)


class EscalationQuerySet(RestrictedQuerySet):
    action_permissions = {"acknowledge": "escalations.acknowledge_escalation"}

    def rows(self, user, action):
        if action == "acknowledge":
            return (
                self
                if user.is_admin
                else self.filter(
                    pk__in=self.model.notified.through.objects.filter(user=user).values("escalation_id")
                )
            )
        if sees_all(user):
            return self
        told = self.model.notified.through.objects.filter(user=user).values("escalation_id")
        return self.filter(Q(pk__in=told) | involved(user, "issue"))
