"""Import kinds by key, so a background task can find the spec of an import job.

Each app registers its import kinds in its AppConfig.ready(), so any process that has started Django
(a web server, `gendan worker`, a command) knows them all without loading the URLconf or the views.
"""

from dataclasses import dataclass, field
from typing import Any

# Import kinds by key: an ImportSpec (generic upsert) or any object with `key` and
# `run(data, *, actor, progress) -> ImportResult` (a custom reader such as the order sheet).
# A kind may also have `created_links(job, *, user) -> ImportedLinks`: what its result page links to.
_SPECS: dict[str, Any] = {}


@dataclass
class ImportedLinks:
    """Where a finished import's page leads: (text, url) of the list showing what it wrote, and of
    the first records it created (`more` of them are not named)."""

    list_link: tuple[str, str] | None = None
    records: list[tuple[str, str]] = field(default_factory=list)
    more: int = 0


def register_import(*specs: Any) -> None:
    for spec in specs:
        known = _SPECS.setdefault(spec.key, spec)
        if known is not spec:
            raise ValueError(f"Two import kinds share the key {spec.key!r}: {known!r} and {spec!r}")


def get_import(key: str) -> Any:
    """The import kind registered under `key`; KeyError if no app registered it."""
    return _SPECS[key]


def import_keys() -> list[str]:
    """The keys of every registered import kind, sorted."""
    return sorted(_SPECS)


# Links an app puts on another app's record pages (a dossier's "Report an issue", a work centre's
# maintenance records), by model label ("orders.order"): fn(user, obj) -> [(text, url)]. The page
# shows them without knowing the app that registered them (core and lower apps import no higher one).
_RECORD_LINKS: dict[str, list[Any]] = {}


def register_record_link(model_label: str, fn: Any) -> None:
    fns = _RECORD_LINKS.setdefault(model_label.lower(), [])
    if fn not in fns:
        fns.append(fn)


def record_links(user: Any, obj: Any) -> list[tuple[str, str]]:
    """The (text, url) links registered for `obj`'s kind of record, for `user`."""
    if obj is None or user is None or not getattr(user, "is_authenticated", False):
        return []
    label = obj._meta.label_lower
    return [link for fn in _RECORD_LINKS.get(label, []) for link in fn(user, obj)]


# Panels an app puts on the home page (a merchandiser's orders by delivery risk): fn(request) -> the
# panel's HTML, rendered by the app (empty when it has nothing for this reader).
_HOME_PANELS: list[Any] = []


def register_home_panel(fn: Any) -> None:
    if fn not in _HOME_PANELS:
        _HOME_PANELS.append(fn)


def home_panels(request: Any) -> list[str]:
    return [html for fn in _HOME_PANELS if (html := fn(request))]


# Panels an app puts on another app's record page (the order's delivery risk), by model label:
# fn(request, obj) -> the panel's HTML or "".
_RECORD_PANELS: dict[str, list[Any]] = {}


def register_record_panel(model_label: str, fn: Any) -> None:
    fns = _RECORD_PANELS.setdefault(model_label.lower(), [])
    if fn not in fns:
        fns.append(fn)


def record_panels(request: Any, obj: Any) -> list[str]:
    if obj is None or not getattr(getattr(request, "user", None), "is_authenticated", False):
        return []
    return [html for fn in _RECORD_PANELS.get(obj._meta.label_lower, []) if (html := fn(request, obj))]
