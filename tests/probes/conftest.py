"""The demo factory, built once per module and rolled back at its end: the probes (fuzzer,
permission matrix) walk the whole site with real records in every state. Each test still runs in
its own savepoint inside it, so what a test changes is gone before the next."""

import pytest


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    from gendan.accounts.models import User
    from gendan.core.demo import build_demo_factory

    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_factory()
        yield {user.role: user for user in User.objects.order_by("-pk")}  # one account per role
        transaction.set_rollback(True)
