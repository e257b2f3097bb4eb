"""Writes to master data. Records without rules of their own are written by the generic services
of core.services through their EntityViews; this module holds the rules that span records: BOM
lines make no cycle (on the pages, the API and after an import), and an imported routing names no
main work centre as its own alternative. One routing step per sequence is the model's constraint."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gendan.core.excel import ImportAborted, RowError
from gendan.core.services import record_create, record_set_archived, record_update

from .models import BomLine, Product, RoutingOperation


def bom_graph() -> dict[int, set[int]]:
    """Product id → ids of the sub-assemblies its active BOM uses."""
    graph: dict[int, set[int]] = {}
    rows = BomLine.objects.filter(is_archived=False, component_product__isnull=False).values_list(
        "parent_id", "component_product_id"
    )
    for parent, child in rows:
        graph.setdefault(parent, set()).add(child)
    return graph


def find_cycle(graph: dict[int, set[int]]) -> list[int] | None:
    """A list of product ids forming a cycle (first == last), or None. Iterative DFS."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour: dict[int, int] = {}
    for root in sorted(graph):
        if colour.get(root, WHITE) != WHITE:
            continue
        stack: list[tuple[int, list[int]]] = [(root, sorted(graph.get(root, ())))]
        path = [root]
        colour[root] = GREY
        while stack:
            node, children = stack[-1]
            if children:
                child = children.pop()
                state = colour.get(child, WHITE)
                if state == GREY:
                    return path[path.index(child) :] + [child]
                if state == WHITE:
                    colour[child] = GREY
                    path.append(child)
                    stack.append((child, sorted(graph.get(child, ()))))
            else:
                colour[node] = BLACK
                path.pop()
                stack.pop()
    return None


def describe_cycle(cycle: list[int]) -> str:
    codes = dict(Product.objects.filter(pk__in=cycle).values_list("pk", "code"))
    return " → ".join(codes.get(pk, str(pk)) for pk in cycle)


# Any number: identifies "the BOM structure" among PostgreSQL advisory locks.
_BOM_LOCK = 0x6E6D_0B0D


def lock_bom_structure() -> None:
    """Serialise changes to the BOM graph until the end of the transaction.

    A cycle check reads the whole graph: two planners adding A → B and B → A at the same moment would
    each see no cycle. SQLite's IMMEDIATE transactions already queue writers; PostgreSQL needs a lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_BOM_LOCK])


def _check_bom_cycle(
    parent_id: int, component_product_id: int | None, exclude_line: int | None = None
) -> None:
    if not component_product_id:
        return
    lock_bom_structure()
    graph = bom_graph()
    if exclude_line is not None:
        old = BomLine.objects.filter(pk=exclude_line).values_list("parent_id", "component_product_id").first()
        if old and old[1]:
            graph.get(old[0], set()).discard(old[1])
    graph.setdefault(parent_id, set()).add(component_product_id)
    cycle = find_cycle(graph)
    if cycle:
        raise ValidationError(
            {
                "component_product": _("This would make the BOM a cycle: %(cycle)s.")
                % {"cycle": describe_cycle(cycle)}
            }
        )


def bomline_create(*, actor, data: dict[str, Any]) -> BomLine:
    with transaction.atomic():
        parent, component = data.get("parent"), data.get("component_product")
        if parent and component:
            _check_bom_cycle(parent.pk, component.pk)
        return record_create(actor=actor, model=BomLine, data=data)


def bomline_update(*, actor, pk: int, data: dict[str, Any]) -> BomLine:
    with transaction.atomic():
        current = BomLine.objects.get(pk=pk)
        parent = data.get("parent") or current.parent
        component = data.get("component_product", current.component_product)
        if component:
            _check_bom_cycle(parent.pk, component.pk, exclude_line=pk)
        return record_update(actor=actor, model=BomLine, pk=pk, data=data)


def bomline_set_archived(*, actor, pk: int, archived: bool) -> BomLine:
    with transaction.atomic():
        if not archived:
            line = BomLine.objects.get(pk=pk)
            _check_bom_cycle(line.parent_id, line.component_product_id, exclude_line=pk)
        return record_set_archived(actor=actor, model=BomLine, pk=pk, archived=archived)


def bom_import_finalize(objects, actor) -> None:
    """After an imported BOM sheet is written (inside its transaction): reject it if it made a cycle."""
    lock_bom_structure()
    cycle = find_cycle(bom_graph())
    if cycle:
        raise ImportAborted(
            [
                RowError(
                    0,
                    _("Sub-assembly"),
                    _("The sheet makes the BOM a cycle: %(cycle)s.") % {"cycle": describe_cycle(cycle)},
                )
            ]
        )


def routing_import_finalize(objects, actor) -> None:
    """After an imported routing sheet is written: the page form's rule that an alternative work
    centre is not the operation's main one holds for imports too."""
    imported = {op.pk for op in objects}
    clashing = RoutingOperation.objects.filter(alternative_work_centres=F("work_centre")).values_list(
        "pk", flat=True
    )  # one query, not one per row: sheets have thousands of rows
    bad_pks = set(clashing) & imported
    bad = [op for op in objects if op.pk in bad_pks]
    if bad:
        raise ImportAborted(
            [
                RowError(
                    0,
                    _("Alternative work centres"),
                    _("%(operation)s: the main work centre cannot also be an alternative.")
                    % {"operation": op},
                )
                for op in bad
            ]
        )


def bom_explode(product: Product, quantity=1) -> list[dict[str, Any]]:
    """Every material and sub-assembly one product needs, level by level, with scrap included."""
    lines = list(
        BomLine.objects.filter(is_archived=False).select_related("component_material", "component_product")
    )
    by_parent: dict[int, list[BomLine]] = {}
    for line in lines:
        by_parent.setdefault(line.parent_id, []).append(line)
    result: list[dict[str, Any]] = []

    def walk(parent_id: int, qty: Decimal, level: int, seen: tuple[int, ...]) -> None:
        for line in sorted(by_parent.get(parent_id, []), key=lambda ln: (ln.position, ln.pk)):
            need = qty * line.quantity * (1 + line.scrap_pct / 100)
            result.append({"level": level, "line": line, "item": line.component, "quantity": need})
            if line.component_product_id and line.component_product_id not in seen:
                walk(line.component_product_id, need, level + 1, (*seen, line.component_product_id))

    walk(product.pk, Decimal(quantity), 1, (product.pk,))
    return result
