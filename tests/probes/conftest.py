"""The probes (fuzzer, permission matrix) walk the whole site with real records in every state: the
demo factory of the root conftest, built once per module."""

import pytest


@pytest.fixture(scope="module")
def demo(demo_factory):
    from gendan.accounts.models import User

    return {user.role: user for user in User.objects.order_by("-pk")}  # one account per role
