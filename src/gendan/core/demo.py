"""The demo factory: each app registers the part it builds; core runs them in order.

    register_demo(10, build_people)        # accounts: departments, one account per role
    register_demo(20, build_masterdata)    # master data and opening stock, for those people
    register_demo(30, build_orders)        # orders in every status

A builder is called with everything the earlier ones handed on (`DemoPart.provides`) as keyword
arguments, e.g. `users`, and returns its `DemoPart`. Builders are idempotent: every record is found
by its code (or user name) first, so running the demo twice changes nothing. Demo accounts exist
only in the demo database (`gendan demo` refuses to run elsewhere)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .audit import audit_source

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


_BUILDERS: dict[int, Callable[..., DemoPart]] = {}


def register_demo(step: int, builder: Callable[..., DemoPart]) -> None:
    """Run `builder` at `step` (lower first); an app registers its part in its AppConfig.ready()."""
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
