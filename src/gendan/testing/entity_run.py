"""One entity's checks (EntityRun.check_<name>): list, detail, create, edit, archive, export, import, API and
the role table's permissions."""

from __future__ import annotations

import gc
import logging
import traceback
from collections.abc import Callable
from typing import Any

from gendan.core.permissions import restricted

from .helpers import (
    EntityCase,
    _Answer,
    _edit_sheet,
    _Request,
    _template,
    _without_stamps,
    _xlsx,
    api_data,
    api_route,
    assert_fields,
    audit_actions,
    db_state,
    edit_form_data,
    expected_export,
    form_data,
    last_entry,
    listed,
    logged_in_client,
    operator_role,
    pk_from_redirect,
    read_sheet,
    role_has,
)


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
        return response.getvalue()

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
        can = {a: role_has(role, restricted(entity.model).permission(a)) for a in ("view", "add", "change")}
        actions = entity.actions
        client, api = self.client_for(role), self.api_for(role)
        obj = self.existing()
        if self.case.existing_for is not None:
            mine = self.case.existing_for(self.make, self.users[role])
            obj = self.model._default_manager.get(pk=mine.pk)
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
        can_import = importable and all(
            role_has(role, restricted(entity.model).permission(a)) for a in entity.import_perms
        )
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
