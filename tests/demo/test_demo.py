"""The demo factory, checked area by area. Building it takes half a minute or more, so it is built
once here, for every area's checks together (`src/gendan/<app>/tests/checks_*.py`, functions named
`check_*` that take what `build_demo_factory` returned), instead of once per area's test module.
Each check runs in its own savepoint, so what one changes (building a step again, entering an order)
is gone before the next. The checks are one xdist group: one worker builds the demo, not each."""

import importlib

import pytest

from gendan.testing.demo_checks import check_modules

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("demo")]


def _checks():
    for name in check_modules():
        module = importlib.import_module(name)
        area = name.split(".")[1]
        for attr, value in vars(module).items():
            if attr.startswith("check_") and callable(value) and value.__module__ == name:
                yield pytest.param(value, id=f"{area}.{attr.removeprefix('check_')}")


CHECKS = list(_checks())


def test_every_area_has_its_demo_checked():
    areas = {param.id.split(".")[0] for param in CHECKS}
    assert {"masterdata", "orders", "purchasing", "quality", "escalations", "shopfloor"} <= areas


@pytest.mark.parametrize("check", CHECKS)
def test_the_demo(check, demo_factory):
    check(demo_factory)
