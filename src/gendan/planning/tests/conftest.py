import pytest

from .factories import PlanFactory


@pytest.fixture
def plans(make, users):
    return PlanFactory(make, users)
