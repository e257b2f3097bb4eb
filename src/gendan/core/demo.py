"""The demo factory: each app registers the part it builds; core runs them in order.

    register_demo(10, build_people)        # accounts: departments, one account per role
    register_demo(20, build_masterdata)    # master data, for those people
    register_demo(25, build_inventory)     # warehouses and opening stock of that master data
    register_demo(30, build_orders)        # orders in every status

A builder is called with everything the earlier ones handed on (`DemoPart.provides`) as keyword
arguments, e.g. `users`, and returns its `DemoPart`. Builders are idempotent: every record is found
by its code (or user name) first (`DemoSeeder.ensure`), so running the demo twice changes nothing. Demo accounts exist
only in the demo database (`gendan demo` refuses to run elsewhere)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from .audit import audit_bulk, audit_source, snapshot

DEMO_PASSWORD = "demo"


@dataclass
class DemoPart:
    """What one app's builder made: counts to print, demo logins, and records for later builders."""

    counts: dict[str, int] = field(default_factory=dict)
    logins: list[str] = field(default_factory=list)  # user names; the password is DEMO_PASSWORD
    provides: dict[str, Any] = field(default_factory=dict)


@dataclass
class DemoFactory:
    counts: dict[str, int]
    logins: list[str]

    def summary(self) -> str:
        return "  " + ", ".join(f"{name}: {n}" for name, n in self.counts.items())


class DemoSeeder:
    """Creates missing rows the way record_create does (full_clean, then an audit entry per record),
    but in one INSERT per table: record by record the demo took several seconds longer."""

    def __init__(self, actor):
        self.actor = actor

    def ensure(
        self, model: type[models.Model], key_fields: tuple[str, ...], rows: list[dict[str, Any]]
    ) -> dict[tuple, models.Model]:
        """Create the rows that do not exist yet (by key); return every row's record by key."""
        attnames = [model._meta.get_field(name).attname for name in key_fields]
        existing = {tuple(getattr(obj, a) for a in attnames): obj for obj in model.objects.all()}
        m2m_names = {f.name for f in model._meta.many_to_many}
        # Related records are passed as saved objects, so their existence needs no query; unique
        # fields and constraints were checked by the key lookup and are enforced by the database.
        fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
        result, new = {}, []
        for row in rows:
            key = tuple(v.pk if isinstance(v, models.Model) else v for v in (row[f] for f in key_fields))
            obj = existing.get(key)
            if obj is None:
                obj = model(**{k: v for k, v in row.items() if k not in m2m_names})
                obj.full_clean(exclude=fk_names, validate_unique=False, validate_constraints=False)
                m2m = {k: v for k, v in row.items() if k in m2m_names}
                new.append((obj, m2m))
                existing[key] = obj
            result[key] = obj
        if new:
            self._insert(model, new)
        return result

    def _insert(self, model, new: list[tuple[models.Model, dict[str, list]]]) -> None:
        objs = [obj for obj, _m2m in new]
        if connection.features.can_return_rows_from_bulk_insert:
            model.objects.bulk_create(objs, batch_size=500)
        else:
            for obj in objs:
                obj.save()
        for name in {name for _obj, m2m in new for name in m2m}:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": obj.pk, f"{target}_id": other.pk})
                    for obj, m2m in new
                    for other in m2m.get(name, [])
                ]
            )
        items = []
        for obj, m2m in new:
            values = snapshot(obj) | {k: sorted(str(o) for o in v) for k, v in m2m.items()}
            items.append(
                (obj, "create", {k: [None, v] for k, v in values.items() if v not in (None, "", [])})
            )
        audit_bulk(actor=self.actor, items=items)


_BUILDERS: dict[int, Callable[..., DemoPart]] = {}


def register_demo(step: int, builder: Callable[..., DemoPart]) -> None:
    """Run `builder` at `step` (lower first); an app registers its part in its AppConfig.ready().
    Two parts at one step would silently drop one of them from the demo: refused."""
    taken = _BUILDERS.get(step)
    if taken is not None and taken is not builder:
        raise ValueError(f"demo step {step} is taken by {taken.__module__}.{taken.__name__}")
    _BUILDERS[step] = builder


def build_demo_factory() -> DemoFactory:
    factory = DemoFactory(counts={}, logins=[])
    provided: dict[str, Any] = {}
    with audit_source("command"), transaction.atomic():
        for _step, builder in sorted(_BUILDERS.items()):
            part = builder(**provided)
            factory.counts |= part.counts
            factory.logins += part.logins
            provided |= part.provides
    return factory
