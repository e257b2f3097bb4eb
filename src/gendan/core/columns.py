"""What an entity declares for its generic pages (core.crud): list columns, child panels on the
detail page, and further POST buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.http import urlencode


@dataclass
class Col:
    """A list column: attribute path (dots follow relations), header, sort key, link to detail.
    `get(obj)` reads the value instead of the path, for a value no attribute holds."""

    path: str
    label: Any
    sort: str | None = None
    link: bool = False
    fmt: Callable[[Any], Any] | None = None
    badge: bool = False  # show as a coloured status badge (CSS class status-<stored value>)
    numeric: bool = False  # right-aligned
    get: Callable[[Any], Any] | None = None
    # Shown on the list's card on a phone, where a row becomes a card; see phone_columns().
    phone: bool = False

    def css(self, obj: Any) -> str:
        classes = []
        if self.badge:
            raw = obj
            for part in self.path.split("."):
                raw = getattr(raw, part, None) if raw is not None else None
            classes.append(f"status status-{raw}")
        return " ".join(classes)

    def value(self, obj: Any) -> Any:
        if self.get is not None:
            return self.get(obj)
        value = obj
        for part in self.path.split("."):
            if value is None:
                return ""
            display = getattr(value, f"get_{part}_display", None)
            value = display() if display else getattr(value, part)
        if self.fmt:
            return self.fmt(value)
        if isinstance(value, bool):
            return "✓" if value else ""
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return "" if value is None else value


def phone_columns(columns: list[Col]) -> list[bool]:
    """Which columns a list's card shows on a phone: the link (the card's title), the badges, and
    the columns marked `phone`; in a list that marks none, the first four."""
    marked = any(c.phone for c in columns)
    return [c.link or c.badge or c.phone or (not marked and i < 4) for i, c in enumerate(columns)]


@dataclass
class Related:
    """A panel of child records on a detail page, e.g. a customer's contacts."""

    title: Any
    accessor: Callable[[Any], models.QuerySet] | None  # parent → its children
    columns: list[Col]
    entity: str | None = None  # url name prefix of the child entity, e.g. "masterdata:contact"
    parent_param: str = ""  # initial field of the child form, e.g. "customer"
    # Instead of `accessor`: an app's selector, `selector(user=…, parent=…)`, which knows the user.
    selector: Callable[..., models.QuerySet] | None = None
    # The child form's initial values behind "Add"; by default {parent_param: parent's id}.
    initial: Callable[[Any], dict] | None = None

    def rows(self, user, parent) -> models.QuerySet:
        if self.selector is not None:
            return self.selector(user=user, parent=parent)
        return self.accessor(parent)

    def add_query(self, parent) -> str:
        initial = self.initial(parent) if self.initial else {self.parent_param: parent.pk}
        return urlencode({k: "" if v is None else v for k, v in initial.items()})


@dataclass
class ExtraAction:
    """A POST button of an entity's detail page besides edit and archive, e.g. "send a test message".

    `run(actor=…, obj=…)` calls the service and returns the message to show; a ValidationError or
    WorkflowConflict it raises is shown as an error. The button shows to those `restrict(user,
    action)` allows, for records where `shown(obj)`; the POST asks the same."""

    name: str  # URL segment and name suffix: <namespace>:<slug>_<name>
    label: Any
    run: Callable[..., Any]
    action: str = "change"
    shown: Callable[[Any], bool] = lambda obj: True
    confirm: Any = ""  # a question the browser asks before posting
    style: str = ""  # button style: "primary" or "danger"
