import pytest

from gendan.shopfloor.tests.board_factories import BoardFactory


@pytest.fixture
def f(make, users):
    return BoardFactory(make, users["merchandiser"])


@pytest.fixture
def english(users):
    for user in users.values():
        user.language = "en"
        user.save(update_fields=["language"])
