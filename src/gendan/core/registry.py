"""Import specs by key, so a background task can find the spec of an import job."""

from typing import Any

# Import kinds by key: an ImportSpec (generic upsert) or any object with `key` and
# `run(data, *, actor, progress) -> ImportResult` (a custom reader such as the order sheet).
_SPECS: dict[str, Any] = {}


def register_import(spec: Any) -> Any:
    _SPECS[spec.key] = spec
    return spec


def get_import(key: str) -> Any:
    return _SPECS[key]
