"""Issue 14, item 8: every URL of the site × every role, on the demo factory.

The expectations come from the role table (accounts/roles.py, through `restricted(model).permission`
and `role_has`), never from a copy of it: for each URL the test finds the kind of record it serves
(the entity of a list page, the API viewset's model, the record named in the path) and the action
(reading for GET; adding, changing or the order's workflow step for a POST), then asks the table.

- GET, every URL, every role: never a 500, never a change; refused (403/404/405) where the role may
  not read that kind of record; 200 for the lists, records and exports it may read.
- POST without a CSRF token (as the administrator and the warehouse): refused (403), nothing changes.
- POST with a CSRF token to every page that changes something: refused (403/404), nothing changes,
  where the role table does not allow the action; never a 500 where it does.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CSRF_TOKEN = "probe" * 6 + "ok"  # 32 characters, the format of Django's secret
# The CSRF check comes before the role's: two roles (the one that may do everything, and one that
# may do little) are enough for it, and keep the walk short.
CSRF_ROLES = {"admin", "warehouse"}

# What a page of an entity (core.crud) does, by its view name: reading, or which action it needs.
ENTITY_READS = {
    "list": "view",
    "detail": "view",
    "history": "view",
    "export": "view",
    "export_sheet": "import",
}
ENTITY_WRITES = {
    "create": "add",
    "template": "add",
    "edit": "change",
    "archive": "change",
    "restore": "change",
}
# A record named in a path, by the name of the path parameter (pk is the page's own record).
PART_KWARGS = {
    "finding_id": "orders.Finding",
    "clarification_id": "orders.Clarification",
    "ack_id": "orders.Acknowledgement",
    "change_id": "orders.ChangeRequest",
    "attachment_id": "orders.OrderAttachment",
}


@dataclass
class Url:
    route: str  # "masterdata/customer/<int:pk>/"
    name: str  # "masterdata:customer_detail"
    callback: object
    model: type | None = None  # the kind of record it serves
    read: str | None = None  # a list, record or export: 200 for a role the table allows this action
    write_action: str | None = None  # what a POST to it does, for the role table
    write_model: type | None = None  # the record the POST acts on, when not `model` (an order's part)
    entity: object | None = None

    @property
    def kwargs(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _walk(patterns, prefix="", namespace=None):
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name, pattern.callback


def _entities() -> dict[str, object]:
    """Every EntityViews of the apps' views modules, by URL name prefix ("masterdata:customer_")."""
    import importlib

    from django.apps import apps

    from gendan.testing.helpers import entities_in

    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("gendan."):
            with contextlib.suppress(ModuleNotFoundError):
                modules.append(importlib.import_module(f"{config.name}.views"))
    return {f"{e.namespace}:{e.slug}_": e for e in entities_in(*modules)}


def site_urls() -> list[Url]:
    from django.apps import apps
    from django.urls import get_resolver

    entities = _entities()
    urls = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        url = Url(route=route, name=name, callback=callback)
        viewset = getattr(callback, "cls", None)
        if url.is_api and getattr(viewset, "queryset", None) is not None:
            url.model = viewset.queryset.model
            actions = getattr(callback, "actions", {}) or {}
            url.read = "view" if actions.get("get") in {"list", "retrieve", "history", "timeline"} else None
        for prefix, entity in entities.items():
            if name.startswith(prefix):
                view = name.removeprefix(prefix)
                url.entity, url.model = entity, entity.model
                url.read = ENTITY_READS.get(view)
                url.write_action = ENTITY_WRITES.get(view) or ("import" if view == "import" else None)
        # The order's buttons (orders/actions.py) name the action the role table must allow; a
        # page of another kind of record names it (`probe_model`, e.g. planning's plan versions).
        if getattr(callback, "role_action", None):
            url.model = apps.get_model("orders.Order")
            url.write_model, url.write_action = callback.role_action
        if name.startswith("orders:") and url.model is None and "pk" in url.kwargs:
            url.model = apps.get_model("orders.Order")  # the order's PDF copy and attachments
        # A page outside the entities and the order's buttons names what it serves itself:
        # `probe_model` ("app.Model" or the model), and what reading and posting to it need
        # (`probe_read`; `probe_write` or `probe_action`).
        if getattr(callback, "probe_model", None):
            model = callback.probe_model
            url.model = apps.get_model(model) if isinstance(model, str) else model
            url.read = getattr(callback, "probe_read", None) or url.read
            url.write_action = (
                getattr(callback, "probe_write", None)
                or getattr(callback, "probe_action", None)
                or url.write_action
            )
        if name.startswith("notifications:webhook_"):
            url.model = apps.get_model("notifications.DepartmentWebhook")
            url.write_action = url.write_action or "change"
        urls.append(url)
    return urls


def _governed(model) -> bool:
    """Whether the role table decides who may read this kind of record (a user's own
    notifications and imports are his, whatever his role)."""
    from gendan.core.permissions import RestrictedQuerySet

    return model is not None and isinstance(model._default_manager.all(), RestrictedQuerySet)


def _may(role: str, model, action: str, entity=None) -> bool:
    from gendan.core.permissions import restricted
    from gendan.testing.helpers import role_has

    if action == "import":
        return all(role_has(role, restricted(model).permission(a)) for a in entity.import_perms)
    return role_has(role, restricted(model).permission(action))


def _fill(url: Url, user) -> str | None:
    """The URL with real ids: a record the user may see where there is one, else any."""
    from django.apps import apps

    from gendan.core.permissions import restricted

    values: dict[str, int] = {}
    for kwarg in url.kwargs:
        if kwarg in PART_KWARGS:
            model = apps.get_model(PART_KWARGS[kwarg])
            part = restricted(model).restrict(user, "view").order_by("pk").first()
            part = part or model._default_manager.order_by("pk").first()
            if part is None:
                return None
            values[kwarg] = part.pk
            values["pk"] = part.order_id
        elif kwarg == "pk" and "pk" not in values:
            model = url.model or _model_by_path(url)
            if model is None:
                return None
            manager = model._default_manager
            found = None
            if _governed(model):
                found = restricted(model).restrict(user, "view").order_by("pk").first()
            elif hasattr(model, "recipient"):
                found = manager.filter(recipient=user).order_by("pk").first()
            elif hasattr(model, "created_by"):
                found = manager.filter(created_by=user).order_by("pk").first()
            found = found or manager.order_by("pk").first()
            values["pk"] = found.pk if found else 999999
        elif kwarg in getattr(url.callback, "probe_fill", {}):
            # A path parameter that is not a record id (a work centre's code, a screen's token).
            values[kwarg] = url.callback.probe_fill[kwarg]()
            if values[kwarg] is None:
                return None
        elif kwarg not in values:
            return None
    if not url.name:
        return "/" + url.route
    from django.urls import reverse

    return reverse(url.name, kwargs=values)


def _model_by_path(url: Url):
    from django.apps import apps

    if url.name.startswith("notifications:"):
        return apps.get_model("notifications.Notification")
    if url.name == "core:import_job":
        return apps.get_model("core.ImportJob")
    return None


def _state():
    """What any change leaves behind: services audit every write; deliveries and notifications
    are written by the services that notify."""
    from gendan.core.models import AuditEntry
    from gendan.notifications.models import Delivery, Notification

    return (
        AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first(),
        Delivery.objects.count(),
        Notification.objects.count(),
    )


def _client(user, *, csrf: bool):
    from django.conf import settings
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if csrf:
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    return client


def _roles():
    from gendan.accounts.choices import Role

    return list(Role.values)


ROLES = [
    "admin",
    "merchandiser",
    "production",
    "purchasing",
    "quality",
    "warehouse",
    "logistics",
    "management",
]


def test_the_matrix_knows_every_role():
    assert sorted(ROLES) == sorted(_roles()), "a new role: add it to ROLES so the matrix walks it"


def test_every_url_is_walked():
    urls = site_urls()
    unfilled = [
        u.route
        for u in urls
        if u.kwargs
        and u.model is None
        and _model_by_path(u) is None
        and not set(u.kwargs) <= set(getattr(u.callback, "probe_fill", {}))
    ]
    unfilled = [r for r in unfilled if not r.startswith("api/")]
    assert not unfilled, f"URLs whose path parameters the matrix cannot fill: {unfilled}"


def _skip(url: Url) -> bool:
    # The schema and its docs page are checked by the fuzzer; logging out ends the session the
    # rest of the walk needs; format-suffix routes repeat the plain ones.
    return url.name in {"api-schema", "api-docs", "accounts:logout"} or "(?P<format>" in url.route


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_every_role_as_the_role_table_says(demo, role):
    user = demo[role]
    reader = _client(user, csrf=False)
    no_token = _client(user, csrf=False)
    with_token = _client(user, csrf=True)
    wrong: list[str] = []
    for url in site_urls():
        if _skip(url):
            continue
        path = _fill(url, user)
        if path is None:
            continue
        governed = _governed(url.model)
        may_read = governed and _may(role, url.model, "view")

        before = _state()
        status = reader.get(path).status_code
        if _state() != before:
            wrong.append(f"GET {path}: changed something ({status})")
        if status >= 500 and not (url.name == "healthz" and status == 503):
            # /healthz says 503 by design here: no worker runs beside the tests.
            wrong.append(f"GET {path}: {status}")
        elif governed and not may_read and status not in (403, 404, 405):
            wrong.append(f"GET {path}: {status}, but {role} may not read {url.model.__name__}")
        elif (
            url.read
            and may_read
            and _may(role, url.model, url.read, url.entity)
            and status != 200
            and not (status == 404 and url.kwargs)  # no record of the kind he may see
        ):
            wrong.append(f"GET {path}: {status}, but {role} may {url.read} {url.model.__name__}")

        if role in CSRF_ROLES:
            before = _state()
            status = no_token.post(path, {}).status_code
            if status != 403 or _state() != before:
                wrong.append(f"POST {path} without CSRF token: {status}")

        if url.write_action is None or url.is_api:
            continue
        allowed = may_read and _may(role, url.write_model or url.model, url.write_action, url.entity)
        before = _state()
        status = with_token.post(path, {}, HTTP_X_CSRFTOKEN=CSRF_TOKEN).status_code
        if status >= 500:
            wrong.append(f"POST {path}: {status}")
        elif not allowed and (status not in (403, 404) or _state() != before):
            wrong.append(f"POST {path}: {status}, but {role} may not {url.write_action} {url.model.__name__}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
