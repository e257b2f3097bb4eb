"""Import specs by key, so a background task can find the spec of an import job."""

from typing import Any

# Import kinds by key: an ImportSpec (generic upsert) or any object with `key` and
# `run(data, *, actor, progress) -> ImportResult` (a custom reader such as the order sheet).
_SPECS: dict[str, Any] = {}


def register_import(spec: Any) -> Any:
    _SPECS[spec.key] = spec
    return spec


def get_import(key: str) -> Any:
    if key not in _SPECS:
        # Specs register when the pages are built (EntityViews.__init__). A worker process that has
        # not loaded the URLconf yet (e.g. started with --skip-checks) has not built them: do it now.
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018
    return _SPECS[key]
