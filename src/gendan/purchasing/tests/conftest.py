"""The planning tests' factory (two work centres, a pump with a machined shaft, steel and seals)
and released orders for it: the requirements are computed from its plans and orders."""

import pytest

from gendan.planning.tests.conftest import (  # noqa: F401 - fixtures
    customer,
    deterministic_engine,
    factory,
    orders,
    planner,
    product,
    released,
)

from .po_fixtures import buying  # noqa: F401 - fixture of the purchase order tests


@pytest.fixture
def compute(django_capture_on_commit_callbacks):
    """Ask for a computation and let the worker run it (the task runs at once in tests)."""
    from gendan.purchasing.services import requirements_request

    def run(actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            run = requirements_request(actor=actor)
        run.refresh_from_db()
        return run

    return run
