"""Import kinds are registered when Django starts (AppConfig.ready), so the worker finds the kind of
every import job without loading the URLconf or the pages."""

import importlib
import importlib.util
import json
import os
import subprocess
import sys

import pytest
from django.apps import apps

from gendan.core.crud import EntityViews
from gendan.core.registry import get_import, import_keys, register_import


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def declared_imports() -> dict[str, object]:
    """The import kind of every page that offers an Excel import: each EntityViews' import_spec."""
    for config in apps.get_app_configs():
        if config.name.startswith("gendan.") and importlib.util.find_spec(f"{config.name}.views"):
            importlib.import_module(f"{config.name}.views")
    declared = {}
    for cls in _subclasses(EntityViews):
        if (
            cls.import_spec is not None
            and cls.__module__.startswith("gendan.")
            and ".tests" not in cls.__module__
        ):
            declared[cls.import_spec.key] = cls.import_spec
    return declared


def test_every_import_offered_on_a_page_is_registered():
    declared = declared_imports()
    assert {"customers", "orders", "stock_movements", "warehouses"} <= set(declared)
    for key, spec in declared.items():
        assert get_import(key) is spec, key
    assert set(declared) <= set(import_keys())


_WORKER = """
import json, sys
import django
django.setup()
from gendan.core.registry import get_import, import_keys
kinds = {key: type(get_import(key)).__name__ for key in import_keys()}
urls = sorted(m for m in sys.modules if m == "gendan.urls" or (m.startswith("gendan.") and m.endswith(".urls")))
print(json.dumps({"kinds": kinds, "urls": urls}))
"""


def test_a_fresh_process_knows_every_import_kind_without_the_urlconf(tmp_path):
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "gendan.settings", "GENDAN_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _WORKER], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["urls"] == []
    assert set(declared_imports()) <= set(found["kinds"])
    assert found["kinds"]["orders"] == "OrderSheetImport"
    assert found["kinds"]["stock_movements"] == "MovementSheetImport"
    assert found["kinds"]["customers"] == "ImportSpec"


def test_two_import_kinds_may_not_share_a_key():
    customers = get_import("customers")
    register_import(customers)  # the same kind again is harmless
    impostor = type("Impostor", (), {"key": "customers"})()
    with pytest.raises(ValueError, match="customers"):
        register_import(impostor)
    assert get_import("customers") is customers
