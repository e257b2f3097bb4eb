import pytest

from .factories import ShopFactory


@pytest.fixture
def shop(make, users):
    return ShopFactory(make, users)


@pytest.fixture
def leader(users):
    """A production team leader (his role may report and allow more than was passed on)."""
    return users["production"]
