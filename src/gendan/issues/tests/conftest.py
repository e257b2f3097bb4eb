import pytest

from .factories import IssueFactory


@pytest.fixture
def f(make, users, departments):
    return IssueFactory(make, users, departments)
