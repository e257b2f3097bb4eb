"""What the entity checks share: sample data, how a check reads pages, sheets and the API."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

from gendan.core.permissions import restricted


@dataclass
class EntityCase:
    """Sample data of one entity, for EntityChecks.

    Values are model values: model instances for foreign keys, lists of instances for many-to-many
    fields, Decimal, date, time, bool. They are turned into form posts and API payloads for you.
    """

    # make -> an existing, active record (use the `make` factories). Called more than once in a test:
    # give unique fields fresh values (make.n()).
    existing: Callable[[Any], Any]
    create: Callable[[Any], dict[str, Any]] | None = None  # make -> valid data for a new record (fresh keys)
    edit: dict[str, Any] = field(default_factory=dict)  # a change to the existing record
    # Fields that are written but not read back (a password).
    write_only: tuple[str, ...] = ()
    # A search term that finds the record, when the filter set has no `search_fields` to derive it from.
    search: Callable[[Any], str] | None = None
    # (make, user) -> an existing record of that user's, for the role-table checks of an entity with
    # row rules (an issue is seen by the departments it involves): the checks then ask whether the
    # role may do each thing to a record it is part of. Without it `existing` serves every role.
    existing_for: Callable[[Any, Any], Any] | None = None


# Every check an entity can get; which ones apply follows from its actions, import sheet and API.
CHECKS = (
    "list",
    "detail",
    "history",
    "create",
    "edit",
    "archive",
    "export",
    "import",
    "readonly",
    "api-read",
    "api-create",
    "api-edit",
    "api-archive",
)


def entities_in(*modules) -> list:
    """The EntityViews instances among the attributes of the given modules, each once, in order."""
    from gendan.core.crud import EntityViews

    found: dict[int, Any] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, EntityViews):
                found.setdefault(id(value), value)
    entities = list(found.values())
    slugs = [e.slug for e in entities]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    assert not duplicates, f"two entities share the slug {duplicates}: the test ids would be ambiguous"
    return entities


def api_route(entity) -> tuple[str, type] | None:
    """(list URL, viewset) of the API route serving the entity's model, or None if it has none."""
    from django.urls import reverse

    from gendan.api_urls import router

    for _prefix, viewset, basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None and queryset.model is entity.model:
            return reverse(f"{basename}-list"), viewset
    return None


def checks_for(entity) -> list[str]:
    """The checks that apply to an entity, from what it offers."""
    actions = entity.actions
    route = api_route(entity)
    viewset = route[1] if route else None
    wanted = {"list", "detail", "history", "export"}
    wanted |= {"create"} & actions
    wanted |= {"edit"} & actions
    wanted |= {"archive"} & actions
    if entity.import_spec is not None:
        wanted.add("import")
    if not {"create", "edit", "archive"} <= actions:
        wanted.add("readonly")
    if viewset is not None:
        wanted.add("api-read")
        if "create" in actions and hasattr(viewset, "create"):
            wanted.add("api-create")
        if "edit" in actions and hasattr(viewset, "partial_update"):
            wanted.add("api-edit")
        if "archive" in actions and hasattr(viewset, "archive"):
            wanted.add("api-archive")
    return [c for c in CHECKS if c in wanted]


def role_has(role: str, perm: str) -> bool:
    """The role table's answer (accounts/roles.py), read directly, not through user.has_perm."""
    from gendan.accounts.choices import Role
    from gendan.accounts.roles import permissions_for

    return role == Role.ADMIN or perm in permissions_for(role)


def operator_role(entity) -> str:
    """A role the role table allows everything the entity offers: a non-administrator if there is one."""
    from gendan.accounts.choices import Role

    needed = {"view"}
    needed |= {"add"} if "create" in entity.actions else set()
    needed |= {"change"} if {"edit", "archive"} & entity.actions else set()
    needed |= set(entity.import_perms) if entity.import_spec is not None else set()
    roles = [r for r in Role.values if r != Role.ADMIN] + [Role.ADMIN]
    return next(r for r in roles if all(role_has(r, restricted(entity.model).permission(a)) for a in needed))


def form_value(value: Any, form_field=None) -> Any:
    """A model value as the browser posts it."""
    from django import forms
    from django.db import models

    if isinstance(value, str) and isinstance(form_field, forms.MultipleChoiceField):
        return [v.strip() for v in value.split(",") if v.strip()]  # e.g. weekdays "1,3,5" as checkboxes
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return [form_value(v) for v in items]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def form_data(form_class, data: dict[str, Any]) -> dict[str, Any]:
    """Model values -> a POST body for the form (unchecked boxes are left out, as browsers do)."""
    fields = getattr(form_class, "base_fields", {})
    posted = {k: form_value(v, fields.get(k)) for k, v in data.items()}
    return {k: v for k, v in posted.items() if v is not None}


def form_initial(form) -> dict[str, Any]:
    """The POST body a browser sends for an unchanged form: every field with its current value."""
    from django import forms

    data = {}
    for name, bound in form.fields.items():
        if isinstance(bound.widget, forms.PasswordInput) and not bound.widget.render_value:
            continue  # the browser gets an empty password box
        value = form_value(form[name].value(), bound)
        if value is not None:
            data[name] = value
    return data


def edit_form_data(form_class, instance, edit: dict[str, Any], **form_kwargs) -> dict[str, Any]:
    """The POST body of the edit form after a user made the change `edit` (a box unticked is left out)."""
    data = form_initial(form_class(instance=instance, **form_kwargs))
    fields = getattr(form_class, "base_fields", {})
    for name, value in edit.items():
        posted = form_value(value, fields.get(name))
        if posted is None:
            data.pop(name, None)
        else:
            data[name] = posted
    return data


def api_value(value: Any) -> Any:
    """A model value as an API client sends it in JSON."""
    from django.db import models

    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [api_value(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def api_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: api_value(v) for k, v in data.items()}


def assert_fields(obj, data: dict[str, Any], *, skip: Iterable[str] = ()) -> None:
    """The record holds the given model values."""
    obj.refresh_from_db()
    for name, expected in data.items():
        if name in skip:
            continue
        model_field = obj._meta.get_field(name)
        actual = getattr(obj, name)
        if model_field.many_to_many:
            actual, expected = {o.pk for o in actual.all()}, {o.pk for o in expected}
        assert actual == expected, f"{obj._meta.model_name}.{name}: {actual!r} != {expected!r}"


def sheet_cell(value: Any) -> str:
    """A cell as text, so a value written to a sheet and the value read back compare equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()  # Excel keeps a date as a datetime at midnight
        return value.strftime("%Y-%m-%d %H:%M")  # to the minute, as a list shows it
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def xlsx_bytes(rows) -> bytes:
    """A one-sheet workbook holding `rows`, as a user's upload would."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_sheet(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [[sheet_cell(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def expected_export(entity, obj) -> tuple[list[str], list[str]]:
    """The header row and the record's row of the entity's export, as the export should write them."""
    from django.utils import timezone

    from gendan.core.crud import _cell
    from gendan.core.excel import escape_cell, export_value

    spec = entity.import_spec
    if spec is not None:
        headers = [str(c.label) for c in spec.columns]
        values = [export_value(c, obj) for c in spec.columns]
    else:
        headers = [str(c.label) for c in entity.columns]
        values = [_cell(c.value(obj)) for c in entity.columns]
    values = [timezone.localtime(v) if isinstance(v, datetime.datetime) else v for v in values]
    return headers, [sheet_cell(escape_cell(v)) for v in values]


def listed(response) -> list[int]:
    """Primary keys of the records on a list page (or its htmx partial)."""
    assert response.status_code == 200, response.status_code
    return [obj.pk for obj, _values in response.context["rows"]]


def pk_from_redirect(response) -> int:
    from django.urls import resolve

    assert response.status_code == 302, (response.status_code, _form_errors(response))
    return int(resolve(urlparse(response["Location"]).path).kwargs["pk"])


def _form_errors(response) -> Any:
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return form.errors if form is not None else None


def db_state(model) -> tuple:
    """What a refused request must leave as it was: the entity's rows, the audit trail, import jobs."""
    from gendan.core.models import AuditEntry, ImportJob

    return (
        list(model._default_manager.order_by("pk").values()),
        AuditEntry.objects.count(),
        ImportJob.objects.count(),
    )


def audit_actions(obj) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    from gendan.core.models import AuditEntry

    ct = ContentType.objects.get_for_model(type(obj))
    return list(
        AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def last_entry(obj):
    from django.contrib.contenttypes.models import ContentType

    from gendan.core.models import AuditEntry

    ct = ContentType.objects.get_for_model(type(obj))
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id").last()


def _xlsx(data: bytes, name: str = "export.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


_shared_handler: list[Any] = []


def logged_in_client(user):
    """A client logged in as `user` for the pages and the API alike (DRF's APIClient, session login).

    Clients share one request handler: building a handler's middleware chain makes WhiteNoise scan
    every static file (tens of milliseconds), which hundreds of clients would otherwise repeat.
    Log such a client in with force_login, not force_authenticate (that one is kept on the handler).
    """
    from rest_framework.test import APIClient

    # A server error is a 500 response the check reports (its traceback is in the captured log).
    client = APIClient(raise_request_exception=False)
    if _shared_handler:
        client.handler = _shared_handler[0]
    else:
        _shared_handler.append(client.handler)
    client.force_login(user)
    return client


@dataclass
class _Answer:
    status_code: int


class _Request:
    """Just enough of a request for EntityViews.filtered (the default list filters)."""

    def __init__(self, user):
        from django.http import QueryDict

        self.user, self.GET = user, QueryDict()


def _without_stamps(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in {"created_at", "updated_at"}}


def _template(spec) -> bytes:
    from gendan.core.excel import template_for

    return spec.template() if hasattr(spec, "template") else template_for(spec)


def _edit_sheet(data: bytes, entity, obj, edit: dict[str, Any]) -> bytes:
    """The exported sheet with the record's row changed as `edit` says (values as a user types them)."""
    from openpyxl import load_workbook

    headers, row = expected_export(entity, obj)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    target = next(r for r in ws.iter_rows(min_row=2) if [sheet_cell(c.value) for c in r] == row)
    for column in entity.import_spec.columns:
        if column.name in edit:
            value = edit[column.name]
            target[headers.index(str(column.label))].value = (
                float(value) if isinstance(value, Decimal) else value
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
