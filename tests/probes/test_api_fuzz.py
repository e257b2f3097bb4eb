"""Issue 14, item 8: schemathesis against the API's own schema, per role, bounded in examples and
time. No server error, and every answer as the schema describes it (status code and body)."""

import time
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, Phase, given, settings

ROLES = ["admin", "merchandiser", "warehouse", "production"]
EXAMPLES = 6  # per operation and role
BUDGET = 60.0  # seconds per role: the whole fuzz stays within a few minutes on a slow CI machine

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _schema():
    import schemathesis
    from drf_spectacular.generators import SchemaGenerator

    raw = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(raw)


@contextmanager
def _connection_kept():
    """The real WSGI application, but the test's database connection stays open between requests
    (as with Django's test client): its transaction is rolled back at the end of the test."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    return [not_a_server_error, response_schema_conformance, status_code_conformance]


def _record_ids() -> dict[str, list[int]]:
    """Some real ids per API prefix ("customers": [...]): a random id is almost always a 404, and
    the answers about real records (in every state of the demo) are what the schema must describe."""
    from gendan.api_urls import router

    ids = {}
    for prefix, viewset, _basename in router.registry:
        if getattr(viewset, "queryset", None) is None:
            continue  # figures, not records (quality-records): no id in its paths
        pks = list(viewset.queryset.model._default_manager.order_by("pk").values_list("pk", flat=True))
        ids[prefix] = pks[:: max(1, len(pks) // 8)]
    return ids


def _strategy(operation, ids: dict[str, list[int]]):
    from hypothesis import strategies as st

    generated = operation.as_strategy()
    prefix = operation.path.removeprefix("/api/").split("/")[0]
    if "{id}" not in operation.path or not ids.get(prefix):
        return generated

    def with_real_id(pair):
        case, pk = pair
        case.path_parameters = {**(case.path_parameters or {}), "id": pk}
        return case

    return st.one_of(generated, st.tuples(generated, st.sampled_from(ids[prefix])).map(with_real_id))


def _fuzz(operation, ids, headers, checks, failures: dict[str, str]) -> None:
    from gendan.wsgi import application

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: a failure in CI is one you can run again
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, don't minimise
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, ids))
    def run(case):
        label = operation.label
        if label in failures:
            return
        try:
            response = case.call(app=application, base_url="http://testserver", headers=headers)
            case.validate_response(response, checks=checks)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report every operation at once
            failures[label] = f"{type(exc).__name__}: {str(exc)[:1500]}"

    run()


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_every_generated_request_as_its_schema_says(demo, role):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=demo[role])
    headers = {"Authorization": f"Token {token.key}"}
    checks = _checks()
    failures: dict[str, str] = {}
    started = time.monotonic()
    skipped = []
    ids = _record_ids()
    with _connection_kept():
        operations = [result.ok() for result in _schema().get_all_operations()]
        # Each role starts at another place: when the time runs out on a busy machine, the
        # operations one role did not reach are fuzzed for another.
        start = ROLES.index(role) * len(operations) // len(ROLES)
        for operation in operations[start:] + operations[:start]:
            if time.monotonic() - started > BUDGET:
                skipped.append(operation.label)
                continue
            _fuzz(operation, ids, headers, checks, failures)
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in sorted(failures.items()))
    print(f"{role}: {len(skipped)} operations not reached within {BUDGET} s: {skipped}")
