"""The warehouse pages read through the inventory selectors."""

import re

import pytest

from gendan.inventory import selectors
from gendan.inventory.models import StockLevel, StockMovement

pytestmark = pytest.mark.django_db


def _stock(make, warehouse, quantity, material, reference):
    movement = make.stock(warehouse, quantity, material=material)
    StockMovement.objects.filter(pk=movement.pk).update(reference=reference)


def test_a_stock_level_shows_its_own_movements_and_adds_one_of_the_same_item(client_warehouse, make):
    wh, other_wh = make.warehouse(code="RM"), make.warehouse(code="FG")
    steel, copper = make.material(code="STEEL"), make.material(code="COPPER")
    _stock(make, wh, 10, steel, "R-STEEL-1")
    _stock(make, wh, 5, steel, "R-STEEL-2")
    _stock(make, wh, 7, copper, "R-COPPER")
    _stock(make, other_wh, 3, steel, "R-OTHER-WH")
    level = StockLevel.objects.get(warehouse=wh, material=steel)

    page = client_warehouse.get(f"/inventory/stocklevel/{level.pk}/").content.decode()
    assert "R-STEEL-1" in page and "R-STEEL-2" in page
    assert "R-COPPER" not in page and "R-OTHER-WH" not in page
    # "Add" opens a movement of this warehouse and this material (not the balance's own id).
    (add,) = re.findall(r'href="/inventory/movement/new/\?([^"]*)"', page)
    assert add.replace("&amp;", "&") == f"warehouse={wh.pk}&material={steel.pk}&product="
    form = client_warehouse.get(f"/inventory/movement/new/?{add.replace('&amp;', '&')}").context["form"]
    assert (form.initial["warehouse"], form.initial["material"]) == (str(wh.pk), str(steel.pk))


def test_the_selectors_answer_only_roles_that_may_read(users, make):
    make.stock(make.warehouse(), 4, material=make.material())
    for role in ("warehouse", "merchandiser", "management"):
        assert selectors.stock_level_list(user=users[role]).count() == 1
        assert selectors.movement_list(user=users[role]).count() == 1
    assert selectors.movement_list(user=users["warehouse"], action="add").exists()
    assert not selectors.movement_list(user=users["merchandiser"], action="add").exists()
    assert not selectors.warehouse_list(user=None).exists()
