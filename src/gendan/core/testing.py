"""Helpers for the test suite (importable from any test module, unlike conftest.py).

- `race(n, worker)`: run a function in n threads released at the same instant (races on the database).
- `EntityChecks` and `EntityCase`: the same checks for every master entity built on `core.crud.EntityViews`
  (list, detail, create, edit, archive/restore, history, export, import round trip, the API, and the
  role table's permissions), like NetBox's view test cases. An app gets them with a few lines:

      class TestPlanningEntities(EntityChecks):
          modules = (gendan.planning.views,)
          cases = {"plan": EntityCase(existing=lambda make: make.plan(), create=..., edit={"note": "改"})}
"""

from __future__ import annotations

import datetime
import gc
import io
import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

TEST_PASSWORD = "Factory-Floor-2026"


# ---------------------------------------------------------------- races


def race(n_threads: int, worker: Callable[[int], Any], *, timeout: float = 30.0) -> list[Any]:
    """Call worker(0) … worker(n_threads - 1) in as many threads, released together by a barrier.

    Returns what each call returned or raised, in thread order (index i is worker(i)'s outcome), so
    a test counts winners and losers. Each thread closes its own database connections when done;
    the test needs `django_db(transaction=True)` for the threads to see its data. A thread still
    running after `timeout` seconds fails the test (a deadlock), rather than being silently dropped.
    """
    from django.db import connections

    barrier = threading.Barrier(n_threads)
    pending = object()
    results: list[Any] = [pending] * n_threads

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[i] = worker(i)
        except BaseException as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()  # this thread's connections only

    threads = [
        threading.Thread(target=run, args=(i,), name=f"race-{i}", daemon=True) for i in range(n_threads)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = [i for i, thread in enumerate(threads) if thread.is_alive() or results[i] is pending]
    if stuck:
        raise AssertionError(f"race: threads {stuck} did not finish within {timeout} s (a deadlock?)")
    return results


# ---------------------------------------------------------------- entity checks


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
    return next(r for r in roles if all(role_has(r, entity.perm(a)) for a in needed))


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


class EntityRun:
    """One entity under test, with the clients and factories of the test: what each check uses."""

    def __init__(self, entity, case: EntityCase, *, make, users, on_commit):
        self.entity, self.case, self.make, self.users, self.on_commit = entity, case, make, users, on_commit
        self._clients: dict[str, Any] = {}
        self.model = entity.model
        self.role = operator_role(entity)
        self.actor = users[self.role]
        route = api_route(entity)
        self.api_list, self.viewset = route if route else (None, None)

    # URLs
    def url(self, view: str, obj=None) -> str:
        from django.urls import reverse

        return reverse(self.entity.url_name(view), args=[obj.pk] if obj is not None else [])

    def api_url(self, obj=None, action: str = "") -> str:
        url = self.api_list if obj is None else f"{self.api_list}{obj.pk}/"
        return f"{url}{action}/" if action else url

    def client_for(self, role: str):
        """The logged-in client of a role (one per role and test), for pages and API."""
        if role not in self._clients:
            self._clients[role] = logged_in_client(self.users[role])
        return self._clients[role]

    api_for = client_for

    @property
    def client(self):
        return self.client_for(self.role)

    api = client

    # Data
    def existing(self):
        """A new existing record, as read from the database (defaults as stored, not as typed)."""
        obj = self.case.existing(self.make)
        return self.model._default_manager.get(pk=obj.pk)

    def new_data(self) -> dict[str, Any]:
        assert self.case.create is not None, f"{self.entity.slug}: the case needs `create` sample data"
        return self.case.create(self.make)

    def form_kwargs(self) -> dict[str, Any]:
        wants_user = getattr(self.entity.form_class, "wants_user", False)
        return {"user": self.actor} if wants_user else {}

    def api_writable(self) -> set[str]:
        """Fields the API's serializer accepts (a sample may hold more: what only the form sets)."""
        serializer = self.viewset.serializer_class()
        return {name for name, f in serializer.fields.items() if not f.read_only}

    def search_term(self, obj) -> str:
        if self.case.search is not None:
            return self.case.search(obj)
        fields = getattr(self.entity.filterset_class, "search_fields", ())
        if not fields:
            return ""
        value: Any = obj
        for part in fields[0].split("__"):
            value = getattr(value, part)
        return str(value)

    def archive_state(self, obj) -> bool:
        obj.refresh_from_db()
        if hasattr(obj, "is_archived"):
            return obj.is_archived
        return not obj.is_active  # users are deactivated, not archived

    # ------------------------------------------------------------ page checks

    def check_list(self) -> None:
        entity, obj = self.entity, self.existing()
        url = self.url("list")
        assert obj.pk in listed(self.client.get(url))
        partial = self.client.get(url, HTTP_HX_REQUEST="true")
        assert obj.pk in listed(partial)
        assert "core/_table.html" in [t.name for t in partial.templates]
        term = self.search_term(obj)
        assert obj.pk in listed(self.client.get(url, {"q": term})), f"search for {term!r}"
        assert listed(self.client.get(url, {"q": "no-such-record-zz9"})) == []
        for column in entity.columns:
            if not column.sort:
                continue
            for key in (column.sort, f"-{column.sort}"):
                response = self.client.get(url, {"sort": key}, HTTP_HX_REQUEST="true")
                assert obj.pk in listed(response), key
                assert response.context["sort"] == key
        for junk in ("nonsense", "-password", "pk; drop table", "__str__", "-"):
            response = self.client.get(
                url, {"sort": junk, "page": "x", "per_page": "oops"}, HTTP_HX_REQUEST="true"
            )
            assert obj.pk in listed(response), junk
            assert response.context["sort"] == entity.default_sort, junk

    def check_detail(self) -> None:
        obj = self.existing()
        response = self.client.get(self.url("detail", obj))
        assert response.status_code == 200
        assert response.context["obj"] == obj
        assert self.client.get(self.url("detail", obj).replace(f"/{obj.pk}/", "/999999/")).status_code == 404

    def _make_history(self):
        """A record with at least one audit entry, made through the entity's services."""
        entity = self.entity
        if "edit" in entity.actions and self.case.edit:
            obj = self.existing()
            entity.update(actor=self.actor, pk=obj.pk, data=dict(self.case.edit))
            return obj, "update"
        if "create" in entity.actions:
            obj = entity.create(actor=self.actor, data=self.new_data())
            return obj, audit_actions(obj)[-1]
        return self.existing(), None

    def check_history(self) -> None:
        obj, action = self._make_history()
        response = self.client.get(self.url("history", obj))
        assert response.status_code == 200
        actions = [e.action for e in response.context["entries"]]
        assert actions == list(reversed(audit_actions(obj)))
        if action:
            assert action in actions
        if self.viewset is not None and hasattr(self.viewset, "history"):
            response = self.api.get(self.api_url(obj, "history"))
            assert response.status_code == 200
            assert [e["action"] for e in response.json()["results"]] == actions

    def check_create(self) -> None:
        form_class = self.entity.form_class
        assert self.client.get(self.url("create")).status_code == 200
        data = self.new_data()
        count = self.model._default_manager.count()
        response = self.client.post(self.url("create"), form_data(form_class, data))
        obj = self.model._default_manager.get(pk=pk_from_redirect(response))
        assert self.model._default_manager.count() == count + 1
        assert_fields(obj, data, skip=self.case.write_only)
        entry = last_entry(obj)
        assert entry is not None and entry.source == "web" and entry.actor == self.actor

    def check_edit(self) -> None:
        obj, edit = self.existing(), self.case.edit
        assert edit, f"{self.entity.slug}: the case needs `edit` sample data"
        form_class = self.entity.form_class
        assert self.client.get(self.url("edit", obj)).status_code == 200
        response = self.client.post(
            self.url("edit", obj), edit_form_data(form_class, obj, edit, **self.form_kwargs())
        )
        assert pk_from_redirect(response) == obj.pk
        assert_fields(obj, edit)
        entry = last_entry(obj)
        assert (entry.action, entry.source) == ("update", "web"), audit_actions(obj)
        assert set(edit) <= set(entry.changes), entry.changes

    def check_archive(self) -> None:
        obj = self.existing()
        url = self.url("list")
        response = self.client.post(self.url("archive", obj))
        assert pk_from_redirect(response) == obj.pk
        assert self.archive_state(obj) is True
        assert obj.pk not in listed(self.client.get(url))
        assert obj.pk in listed(self.client.get(url, {"archived": "archived"}))
        assert obj.pk in listed(self.client.get(url, {"archived": "all"}))
        assert self.client.get(self.url("archive", obj)).status_code == 405  # POST only
        response = self.client.post(self.url("restore", obj))
        assert pk_from_redirect(response) == obj.pk
        assert self.archive_state(obj) is False
        assert obj.pk in listed(self.client.get(url))
        assert audit_actions(obj)[-2:] == ["archive", "restore"]

    def _export(self, client=None) -> bytes:
        request_log = logging.getLogger("django.request")
        level, request_log.level = request_log.level, logging.CRITICAL
        try:
            response = (client or self.client).get(self.url("export"))
        finally:
            request_log.level = level
        if response.status_code != 200:
            # A failed export leaves a half-written workbook behind, kept alive by the error's
            # traceback. Let it go now, not while pytest writes its report: its finaliser raises, and
            # a finaliser that runs inside Python 3.11's ast.parse breaks the ast module for the run.
            # (For the same reason the error is not logged: a log record would keep the traceback.)
            status = response.status_code
            error = "".join(traceback.format_exception(*response.exc_info)[-3:]) if response.exc_info else ""
            del response
            gc.collect()
            raise AssertionError(f"export answered {status}: {error}")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert f'filename="{self.entity.slug}-' in response["Content-Disposition"]
        return response.content

    def check_export(self) -> None:
        obj = self.existing()
        rows = read_sheet(self._export())
        headers, row = expected_export(self.entity, obj)
        assert rows[0] == headers
        assert row in rows[1:], f"{row} not among {rows[1:]}"
        visible = self.entity.filtered(_Request(self.actor))[1].count()
        assert len(rows) - 1 == visible

    def _import(self, data: bytes):
        from gendan.core.models import ImportJob

        assert self.client.get(self.url("import")).status_code == 200
        template = self.client.get(self.url("template"))
        assert template.status_code == 200 and read_sheet(template.content)[0] == read_sheet(data)[0]
        with self.on_commit(execute=True):
            response = self.client.post(self.url("import"), {"file": _xlsx(data)})
        job = ImportJob.objects.get(pk=pk_from_redirect(response))
        assert self.client.get(response["Location"]).status_code == 200
        assert (job.status, job.errors) == (ImportJob.Status.SUCCEEDED, []), (job.status, job.errors)
        return job

    def check_import(self) -> None:
        from gendan.core.services import snapshot_full

        obj = self.existing()
        before = snapshot_full(obj)
        count = self.model._default_manager.count()
        exported = self._export()
        rows = len(read_sheet(exported)) - 1
        job = self._import(exported)
        if self.entity.import_perms == ("add",):
            # A ledger sheet only adds: importing an export books its rows again.
            assert (job.created, job.updated) == (rows, 0)
            assert self.model._default_manager.count() == count + rows
            again = read_sheet(self._export())
            assert all(again.count(row) >= 2 for row in read_sheet(exported)[1:]), again
            return
        assert (job.created, job.updated) == (0, 0)
        assert self.model._default_manager.count() == count
        obj.refresh_from_db()
        after = snapshot_full(obj)
        changed = {
            k: (before.get(k), after.get(k)) for k in _without_stamps(after) if before.get(k) != after.get(k)
        }
        assert not changed, f"importing the export changed {changed}"
        # The same sheet with the case's change in it updates the record, and nothing else.
        edit = {
            k: v for k, v in self.case.edit.items() if k in {c.name for c in self.entity.import_spec.columns}
        }
        if not edit:
            return
        job = self._import(_edit_sheet(exported, self.entity, obj, edit))
        assert (job.created, job.updated) == (0, 1)
        assert_fields(obj, edit)
        assert last_entry(obj).action == "import_update"

    def check_readonly(self) -> None:
        """What an entity does not offer is not reachable, on the pages or the API (even for an admin)."""
        obj, entity = self.existing(), self.entity
        client, api = self.client_for("admin"), self.api_for("admin")
        base, detail = self.url("list"), self.url("detail", obj)
        before = db_state(self.model)
        if "create" not in entity.actions:
            assert client.get(f"{base}new/").status_code == 404
            if self.viewset is not None:
                assert api.post(self.api_url(), {}, format="json").status_code == 405
        if "edit" not in entity.actions:
            assert client.get(f"{detail}edit/").status_code == 404
            if self.viewset is not None:
                assert api.patch(self.api_url(obj), {}, format="json").status_code == 405
                assert api.put(self.api_url(obj), {}, format="json").status_code == 405
        if "archive" not in entity.actions:
            assert client.post(f"{detail}archive/").status_code == 404
            if self.viewset is not None:
                assert api.post(self.api_url(obj, "archive")).status_code in (404, 405)
        assert db_state(self.model) == before

    # ------------------------------------------------------------ API checks

    def check_api_read(self) -> None:
        obj = self.existing()
        response = self.api.get(self.api_url())
        assert response.status_code == 200
        assert obj.pk in [r["id"] for r in response.json()["results"]]
        response = self.api.get(self.api_url(), {"q": self.search_term(obj)})
        assert response.status_code == 200 and obj.pk in [r["id"] for r in response.json()["results"]]
        for ordering in ("-id", "nonsense", "password,-nonsense"):
            response = self.api.get(self.api_url(), {"ordering": ordering})
            assert response.status_code == 200 and obj.pk in [r["id"] for r in response.json()["results"]]
        response = self.api.get(self.api_url(obj))
        assert response.status_code == 200 and response.json()["id"] == obj.pk
        assert self.api.get(self.api_url().rstrip("/") + "/999999/").status_code == 404
        # Nothing is ever deleted, not even by an administrator.
        assert self.api_for("admin").delete(self.api_url(obj)).status_code == 405
        assert self.model._default_manager.filter(pk=obj.pk).exists()

    def check_api_create(self) -> None:
        data = self.new_data()
        response = self.api.post(self.api_url(), api_data(data), format="json")
        assert response.status_code == 201, response.json()
        obj = self.model._default_manager.get(pk=response.json()["id"])
        assert_fields(
            obj, {k: v for k, v in data.items() if k in self.api_writable()}, skip=self.case.write_only
        )
        entry = last_entry(obj)
        assert entry is not None and entry.source == "api" and entry.actor == self.actor

    def check_api_edit(self) -> None:
        obj, edit = self.existing(), self.case.edit
        response = self.api.patch(self.api_url(obj), api_data(edit), format="json")
        assert response.status_code == 200, response.json()
        assert_fields(obj, edit)
        entry = last_entry(obj)
        assert entry.action == "update" and entry.source == "api"
        assert set(edit) <= set(entry.changes), entry.changes
        # PUT of what GET gave back is accepted and changes nothing (no audit entry either).
        entries = len(audit_actions(obj))
        representation = self.api.get(self.api_url(obj)).json()
        response = self.api.put(self.api_url(obj), representation, format="json")
        assert response.status_code == 200, response.json()
        assert _without_stamps(response.json()) == _without_stamps(representation)
        assert len(audit_actions(obj)) == entries

    def check_api_archive(self) -> None:
        obj = self.existing()

        def ids(params=None):
            response = self.api.get(self.api_url(), params or {})
            assert response.status_code == 200
            return [r["id"] for r in response.json()["results"]]

        assert self.api.post(self.api_url(obj, "archive")).status_code == 200
        assert self.archive_state(obj) is True
        assert obj.pk not in ids() and obj.pk in ids({"archived": "all"})
        assert self.api.post(self.api_url(obj, "archive")).status_code == 409
        assert self.api.get(self.api_url(obj)).status_code == 200  # still readable by id
        assert self.api.post(self.api_url(obj, "restore")).status_code == 200
        assert self.archive_state(obj) is False
        assert obj.pk in ids()
        assert audit_actions(obj)[-2:] == ["archive", "restore"]
        assert last_entry(obj).source == "api"

    # ------------------------------------------------------------ permissions

    def check_permissions(self, role: str) -> None:
        """What the role table refuses is refused (403, or 404 for an API record), changes nothing;
        what it allows answers 200/201/302."""
        entity = self.entity
        can = {a: role_has(role, entity.perm(a)) for a in ("view", "add", "change")}
        actions = entity.actions
        client, api = self.client_for(role), self.api_for(role)
        obj = self.existing()
        archived = None
        if "archive" in actions:
            archived = self.existing()
            entity.set_archived(actor=self.users["admin"], pk=archived.pk, archived=True)
        api_ok = self.viewset is not None
        new_form = form_data(entity.form_class, self.new_data()) if "create" in actions else {}
        new_api = api_data(self.new_data()) if "create" in actions else {}
        edit_form = edit_api = {}
        if "edit" in actions:
            edit_form = edit_form_data(entity.form_class, obj, self.case.edit, **self.form_kwargs())
            edit_api = api_data(self.case.edit)
        importable = entity.import_spec is not None
        can_import = importable and all(role_has(role, entity.perm(a)) for a in entity.import_perms)
        sheet = _template(entity.import_spec) if importable and not can_import else b""

        refused: list[tuple[str, Callable[[], Any], tuple[int, ...]]] = []
        if not can["view"]:
            refused += [
                ("list", lambda: client.get(self.url("list")), (403,)),
                ("detail", lambda: client.get(self.url("detail", obj)), (403,)),
                ("history", lambda: client.get(self.url("history", obj)), (403,)),
                ("export", lambda: client.get(self.url("export")), (403,)),
            ]
            if api_ok:
                refused += [
                    ("api list", lambda: api.get(self.api_url()), (403,)),
                    ("api retrieve", lambda: api.get(self.api_url(obj)), (403, 404)),
                ]
                if hasattr(self.viewset, "history"):
                    refused.append(("api history", lambda: api.get(self.api_url(obj, "history")), (403, 404)))
        if "create" in actions and not can["add"]:
            refused += [
                ("create page", lambda: client.get(self.url("create")), (403,)),
                ("create post", lambda: client.post(self.url("create"), new_form), (403,)),
            ]
            if api_ok:
                refused.append(
                    ("api create", lambda: api.post(self.api_url(), new_api, format="json"), (403,))
                )
        if importable and not can["add"]:
            refused.append(("import template", lambda: client.get(self.url("template")), (403,)))
        if importable and not can_import:
            refused += [
                ("import page", lambda: client.get(self.url("import")), (403,)),
                ("import post", lambda: client.post(self.url("import"), {"file": _xlsx(sheet)}), (403,)),
            ]
        if "edit" in actions and not can["change"]:
            refused += [
                ("edit page", lambda: client.get(self.url("edit", obj)), (403,)),
                ("edit post", lambda: client.post(self.url("edit", obj), edit_form), (403,)),
            ]
            if api_ok:
                refused += [
                    ("api patch", lambda: api.patch(self.api_url(obj), edit_api, format="json"), (403, 404)),
                    ("api put", lambda: api.put(self.api_url(obj), edit_api, format="json"), (403, 404)),
                ]
        if "archive" in actions and not can["change"]:
            refused += [
                ("archive", lambda: client.post(self.url("archive", obj)), (403,)),
                ("restore", lambda: client.post(self.url("restore", archived)), (403,)),
            ]
            if api_ok:
                refused += [
                    ("api archive", lambda: api.post(self.api_url(obj, "archive")), (403, 404)),
                    ("api restore", lambda: api.post(self.api_url(archived, "restore")), (403, 404)),
                ]

        before = db_state(self.model)
        got = {name: request().status_code for name, request, _ok in refused}
        wrong = {name: got[name] for name, _r, ok in refused if got[name] not in ok}
        assert not wrong, f"{role} on {entity.slug}: refused requests answered {wrong}"
        assert db_state(self.model) == before, f"{role} on {entity.slug}: a refused request changed data"

        allowed: list[tuple[str, Callable[[], Any], tuple[int, ...]]] = []
        if can["view"]:
            allowed += [
                ("list", lambda: client.get(self.url("list"), HTTP_HX_REQUEST="true"), (200,)),
                ("detail", lambda: client.get(self.url("detail", obj)), (200,)),
            ]
            if api_ok:
                allowed += [
                    ("api list", lambda: api.get(self.api_url()), (200,)),
                    ("api retrieve", lambda: api.get(self.api_url(obj)), (200,)),
                ]
        if "create" in actions and can["add"]:
            another = form_data(entity.form_class, self.new_data())
            allowed += [
                ("create page", lambda: client.get(self.url("create")), (200,)),
                ("create post", lambda: client.post(self.url("create"), another), (302,)),
            ]
            if api_ok:
                allowed.append(
                    ("api create", lambda: api.post(self.api_url(), new_api, format="json"), (201,))
                )
        if importable and can["add"]:
            allowed.append(("import template", lambda: client.get(self.url("template")), (200,)))
        if importable and can_import:
            allowed.append(("import page", lambda: client.get(self.url("import")), (200,)))
        if "edit" in actions and can["change"]:
            allowed += [
                ("edit page", lambda: client.get(self.url("edit", obj)), (200,)),
                ("edit post", lambda: client.post(self.url("edit", obj), edit_form), (302,)),
            ]
            if api_ok:
                allowed.append(
                    ("api patch", lambda: api.patch(self.api_url(obj), edit_api, format="json"), (200,))
                )
        if "archive" in actions and can["change"]:
            # Each step is checked on the record too: the page redirects after a refusal as well.
            def step(request, archived: bool):
                response = request()
                return _Answer(response.status_code if self.archive_state(obj) is archived else -1)

            allowed += [
                ("archive", lambda: step(lambda: client.post(self.url("archive", obj)), True), (302,)),
                ("restore", lambda: step(lambda: client.post(self.url("restore", obj)), False), (302,)),
            ]
            if api_ok:
                allowed += [
                    (
                        "api archive",
                        lambda: step(lambda: api.post(self.api_url(obj, "archive")), True),
                        (200,),
                    ),
                    (
                        "api restore",
                        lambda: step(lambda: api.post(self.api_url(obj, "restore")), False),
                        (200,),
                    ),
                ]
        got = {name: request().status_code for name, request, _ok in allowed}
        wrong = {name: got[name] for name, _r, ok in allowed if got[name] not in ok}
        assert not wrong, (
            f"{role} on {entity.slug}: allowed requests answered {wrong} (-1: the record did not change)"
        )


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


class EntityChecks:
    """Base of a test class: every EntityViews of `modules` gets the checks that apply to it.

    Subclass it in a test module (the class name must start with Test), name the modules whose
    entities are covered, give one EntityCase per entity slug in `cases`, and list known bugs in
    `xfail` by test id ("customer-export", "customer-perms-warehouse") with the reason. Tests:

    - test_entity[<slug>-<check>]: one check of CHECKS that applies to the entity;
    - test_permissions[<slug>-perms-<role>]: the role table, for every role and entity;
    - test_every_entity_has_sample_data: a new entity without a case fails here, not silently.
    """

    modules: tuple = ()
    cases: dict[str, EntityCase] = {}
    xfail: dict[str, str] = {}

    @classmethod
    def entities(cls) -> list:
        return entities_in(*cls.modules)

    def _param(self, test_id: str, *values):
        import pytest

        marks = [pytest.mark.xfail(strict=True, reason=self.xfail[test_id])] if test_id in self.xfail else []
        return pytest.param(*values, id=test_id, marks=marks)

    def pytest_generate_tests(self, metafunc) -> None:
        from gendan.accounts.choices import Role

        covered = [e for e in self.entities() if e.slug in self.cases]
        if "entity_check" in metafunc.fixturenames:
            params = [self._param(f"{e.slug}-{c}", (e, c)) for e in covered for c in checks_for(e)]
            metafunc.parametrize("entity_check", params)
        if "entity_role" in metafunc.fixturenames:
            params = [self._param(f"{e.slug}-perms-{r}", (e, r)) for e in covered for r in Role.values]
            metafunc.parametrize("entity_role", params)

    def test_entity(self, entity_check, make, users, django_capture_on_commit_callbacks) -> None:
        entity, check = entity_check
        run = EntityRun(
            entity,
            self.cases[entity.slug],
            make=make,
            users=users,
            on_commit=django_capture_on_commit_callbacks,
        )
        getattr(run, "check_" + check.replace("-", "_"))()

    def test_permissions(self, entity_role, make, users, django_capture_on_commit_callbacks) -> None:
        entity, role = entity_role
        run = EntityRun(
            entity,
            self.cases[entity.slug],
            make=make,
            users=users,
            on_commit=django_capture_on_commit_callbacks,
        )
        run.check_permissions(role)

    def test_every_entity_has_sample_data(self) -> None:
        slugs = [e.slug for e in self.entities()]
        assert slugs, "no EntityViews found in the modules"
        missing = [s for s in slugs if s not in self.cases]
        assert not missing, f"entities without sample data in {type(self).__name__}.cases: {missing}"
        stale = sorted(set(self.cases) - set(slugs))
        assert not stale, f"sample data for entities that do not exist: {stale}"
        from gendan.accounts.choices import Role

        ids = {f"{e.slug}-{c}" for e in self.entities() for c in checks_for(e)}
        ids |= {f"{s}-perms-{r}" for s in slugs for r in Role.values}
        unknown = sorted(set(self.xfail) - ids)
        assert not unknown, f"xfail entries that name no test: {unknown}"
