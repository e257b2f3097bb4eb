"""Import specs by key, so a background task can find the spec of an import job."""

from .excel import ImportSpec

_SPECS: dict[str, ImportSpec] = {}


def register_import(spec: ImportSpec) -> ImportSpec:
    _SPECS[spec.key] = spec
    return spec


def get_import(key: str) -> ImportSpec:
    return _SPECS[key]
