"""Bills of materials never form a cycle: a product cannot (indirectly) contain itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.masterdata.models import BomLine
from gendan.masterdata.services import (
    bom_explode,
    bom_graph,
    bomline_create,
    bomline_set_archived,
    bomline_update,
    find_cycle,
)
from gendan.testing import race

pytestmark = pytest.mark.django_db


def line(actor, parent, component, **kw):
    return bomline_create(
        actor=actor, data={"parent": parent, "component_product": component, "quantity": Decimal(1), **kw}
    )


def cycle_message(exc) -> str:
    return " ".join(exc.value.message_dict["component_product"])


def test_two_step_cycle_is_rejected_and_named(users, make):
    actor = users["production"]
    a, b = make.product(code="A"), make.product(code="B")
    line(actor, a, b)
    with pytest.raises(ValidationError) as exc:
        line(actor, b, a)
    assert "A → B → A" in cycle_message(exc) or "B → A → B" in cycle_message(exc)
    assert BomLine.objects.count() == 1


def test_longer_cycle_is_rejected_and_named(users, make):
    actor = users["production"]
    a, b, c = make.product(code="A"), make.product(code="B"), make.product(code="C")
    line(actor, a, b)
    line(actor, b, c)
    with pytest.raises(ValidationError) as exc:
        line(actor, c, a)
    message = cycle_message(exc)
    assert any(name in message for name in ("A → B → C → A", "B → C → A → B", "C → A → B → C")), message
    assert BomLine.objects.count() == 2
    assert AuditEntry.objects.filter(action="create").count() == 2


def test_self_reference_is_rejected(users, make):
    a = make.product(code="A")
    with pytest.raises(ValidationError) as exc:
        line(users["production"], a, a)
    assert "A → A" in cycle_message(exc) or exc.value.message_dict["component_product"]
    assert BomLine.objects.count() == 0


def test_a_diamond_is_not_a_cycle(users, make):
    actor = users["production"]
    a, b, c, d = (make.product(code=x) for x in "ABCD")
    line(actor, a, b)
    line(actor, a, c)
    line(actor, b, d)
    line(actor, c, d)
    assert BomLine.objects.count() == 4


def test_changing_a_line_into_a_cycle_is_rejected(users, make):
    actor = users["production"]
    a, b, c = make.product(code="A"), make.product(code="B"), make.product(code="C")
    line(actor, a, b)
    second = line(actor, b, c)
    with pytest.raises(ValidationError):
        bomline_update(actor=actor, pk=second.pk, data={"component_product": a})
    second.refresh_from_db()
    assert second.component_product == c


def test_restoring_a_line_that_would_close_a_cycle_is_rejected(users, make):
    actor = users["production"]
    a, b = make.product(code="A"), make.product(code="B")
    old = line(actor, a, b)
    bomline_set_archived(actor=actor, pk=old.pk, archived=True)
    line(actor, b, a)  # allowed while A → B is archived
    with pytest.raises(ValidationError) as exc:
        bomline_set_archived(actor=actor, pk=old.pk, archived=False)
    assert "→" in cycle_message(exc)
    old.refresh_from_db()
    assert old.is_archived


def test_restore_cycle_is_refused_on_the_page(client_production, users, make):
    actor = users["production"]
    a, b = make.product(code="A"), make.product(code="B")
    old = line(actor, a, b)
    bomline_set_archived(actor=actor, pk=old.pk, archived=True)
    line(actor, b, a)
    response = client_production.post(f"/masterdata/bomline/{old.pk}/restore/", follow=True)
    assert response.status_code == 200
    assert "→" in response.content.decode()
    old.refresh_from_db()
    assert old.is_archived


def test_page_form_rejects_a_cycle_with_the_message_on_the_field(client_production, users, make):
    a, b = make.product(code="A"), make.product(code="B")
    line(users["production"], a, b)
    response = client_production.post(
        "/masterdata/bomline/new/",
        {"parent": b.pk, "position": 10, "component_product": a.pk, "quantity": "1", "scrap_pct": "0"},
    )
    assert response.status_code == 200
    assert "B → A → B" in response.content.decode() or "A → B → A" in response.content.decode()
    assert BomLine.objects.count() == 1


def test_archive_twice_is_a_conflict(users, make):
    bom = make.bom_line()
    bomline_set_archived(actor=users["production"], pk=bom.pk, archived=True)
    with pytest.raises(WorkflowConflict):
        bomline_set_archived(actor=users["production"], pk=bom.pk, archived=True)


def test_explode_multiplies_quantities_and_scrap(users, make):
    actor = users["production"]
    top, sub = make.product(code="TOP"), make.product(code="SUB")
    steel = make.material(code="STEEL")
    bomline_create(actor=actor, data={"parent": top, "component_product": sub, "quantity": Decimal(2)})
    bomline_create(
        actor=actor,
        data={
            "parent": sub,
            "component_material": steel,
            "quantity": Decimal("1.5"),
            "scrap_pct": Decimal(10),
        },
    )
    result = bom_explode(top, 10)
    assert [(r["level"], str(r["item"].code), r["quantity"]) for r in result] == [
        (1, "SUB", Decimal(20)),
        (2, "STEEL", Decimal("33.0")),
    ]


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=15))
def test_find_cycle_agrees_with_a_reachability_check(edges):
    graph: dict[int, set[int]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)

    def reaches(src, dst):
        seen, todo = set(), [src]
        while todo:
            n = todo.pop()
            for m in graph.get(n, ()):
                if m == dst:
                    return True
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        return False

    has_cycle = any(reaches(n, n) for n in graph)
    cycle = find_cycle(graph)
    assert (cycle is not None) == has_cycle
    if cycle:
        assert cycle[0] == cycle[-1]
        assert all(b in graph.get(a, ()) for a, b in zip(cycle, cycle[1:], strict=False))


@pytest.mark.django_db(transaction=True)
def test_two_people_closing_a_cycle_at_the_same_time_cannot_both_succeed(users, make):
    """A → B and B → A saved at the same moment by two planners: one of them must be refused."""
    actor = users["production"]
    a, b, c = make.product(code="A"), make.product(code="B"), make.product(code="C")
    line(actor, b, c)  # B → C exists; the race adds A → B and C → A
    pairs = [(a, b), (c, a)]

    results = race(2, lambda i: line(actor, *pairs[i]))

    assert sum(isinstance(r, BomLine) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert find_cycle(bom_graph()) is None
