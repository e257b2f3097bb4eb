"""Need-to-know per field: the fields of a model a user may neither read nor write.

Which fields those are, and for whom, is the role table's (accounts/roles.py, FIELD_GROUPS);
core uses no app, so accounts registers its answer here when it starts. Everything that shows,
exports, serialises, sorts, searches or writes a record asks `hidden_fields(user, model)`:
list and detail pages, forms, exports and import sheets (core.crud), the API serializers, the
audit history and the order dossier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

HiddenFields = Callable[[Any, type[models.Model]], frozenset[str]]
_hidden: HiddenFields | None = None


def register_field_access(answer: HiddenFields) -> None:
    global _hidden
    _hidden = answer


def hidden_fields(user, model: type[models.Model] | None) -> frozenset[str]:
    """Names of `model`'s fields (and values worked out from them) `user` may not see or set."""
    if _hidden is None or model is None or user is None:
        return frozenset()
    return _hidden(user, model)


def visible_columns(user, model: type[models.Model] | None, columns: list) -> list:
    """A list's columns (core.crud.Col) without those showing or sorting by a hidden field."""
    hidden = hidden_fields(user, model)
    if not hidden:
        return columns
    return [
        c
        for c in columns
        if c.path.split(".")[0] not in hidden and (c.sort or "").lstrip("-").split("__")[0] not in hidden
    ]


def redact_entries(user, entries: Iterable) -> list:
    """Audit entries with the changes of fields hidden from `user` left out (in memory only): the
    history of a customer must not tell the warehouse its old credit limit."""
    entries = list(entries)
    for entry in entries:
        if not entry.changes:
            continue
        hidden = hidden_fields(user, entry.content_type.model_class())
        if hidden and set(entry.changes) & hidden:
            entry.changes = {k: v for k, v in entry.changes.items() if k not in hidden}
    return entries
