"""The demo factory's master data: believable in size and shape, valid, and idempotent."""

from collections import defaultdict
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.db.models import Count, F, Sum

from gendan.accounts.models import User
from gendan.core.demo import build_demo_factory
from gendan.core.models import AuditEntry
from gendan.inventory.models import StockLevel, StockMovement, Warehouse
from gendan.masterdata import selectors
from gendan.masterdata.choices import CalendarDayKind, CreditStatus, ProductKind
from gendan.masterdata.models import (
    BomLine,
    CalendarDay,
    Customer,
    CustomerContact,
    DeliveryAddress,
    Material,
    Product,
    RoutingOperation,
    Shift,
    Supplier,
    SupplierContact,
    SupplierMaterial,
    WorkCentre,
)
from gendan.masterdata.services import bom_graph, find_cycle

MODELS = [
    Warehouse,
    WorkCentre,
    Shift,
    CalendarDay,
    Material,
    Product,
    BomLine,
    RoutingOperation,
    RoutingOperation.alternative_work_centres.through,
    Supplier,
    SupplierContact,
    SupplierMaterial,
    Customer,
    CustomerContact,
    DeliveryAddress,
    StockLevel,
    StockMovement,
    AuditEntry,
]


def _fingerprint() -> dict[str, list]:
    """Every row's id and last change time (or the whole row where there is none)."""
    result = {}
    for model in MODELS:
        fields = [f.attname for f in model._meta.concrete_fields]
        if "updated_at" in fields:
            fields = ["pk", "updated_at"]
        result[model.__name__] = list(model.objects.order_by("pk").values_list(*fields))
    return result


def _counts() -> dict[str, int]:
    """The later areas' records: orders, acknowledgements, plans, daily reports, issues."""
    return {
        label: apps.get_model(label).objects.count()
        for label in (
            "orders.Order",
            "orders.Acknowledgement",
            "orders.ChangeRequest",
            "planning.PlanVersion",
            "shopfloor.ProductionReport",
            "issues.Issue",
        )
    }


def check_second_run_changes_nothing(demo):
    before, counts = _fingerprint(), _counts()
    movements = StockMovement.objects.count()
    audit = AuditEntry.objects.count()

    assert build_demo_factory() == demo
    assert StockMovement.objects.count() == movements
    assert AuditEntry.objects.count() == audit
    assert _fingerprint() == before and _counts() == counts


def check_sizes_are_those_of_a_believable_factory(demo):
    assert 28 <= Product.objects.count() <= 36
    assert 8 <= Product.objects.filter(kind=ProductKind.FINISHED).count() <= 14
    assert 130 <= Material.objects.count() <= 170
    assert 8 <= WorkCentre.objects.count() <= 14  # a second motor line since issue 15
    assert Supplier.objects.count() == 10
    assert Customer.objects.count() == 15
    assert set(Warehouse.objects.values_list("code", flat=True)) == {"RM", "WIP", "FG"}
    assert "products: 33" in demo.summary() and "materials: 151" in demo.summary()


def _bom_depths() -> dict[int, int]:
    children = defaultdict(list)
    for parent, product in BomLine.objects.filter(is_archived=False).values_list(
        "parent_id", "component_product_id"
    ):
        children[parent].append(product)

    @cache
    def depth(pk: int) -> int:
        return max(1 + (depth(child) if child else 0) for child in children[pk])

    return {pk: depth(pk) for pk in children}


def check_boms_are_three_to_five_levels_deep_without_cycles(demo):
    assert find_cycle(bom_graph()) is None
    depths = _bom_depths()
    finished = Product.objects.filter(kind=ProductKind.FINISHED)
    with_bom = [p for p in finished if p.pk in depths]
    assert len(with_bom) >= 8
    assert all(3 <= depths[p.pk] <= 5 for p in with_bom), {p.code: depths[p.pk] for p in with_bom}
    assert {3, 4, 5} <= {depths[p.pk] for p in with_bom}
    # Every sub-assembly has its own BOM and is used somewhere.
    for sub in Product.objects.filter(kind=ProductKind.SUB_ASSEMBLY):
        assert sub.pk in depths, sub.code
        assert BomLine.objects.filter(component_product=sub).exists(), sub.code


def check_routings_have_four_to_ten_operations_on_staffed_work_centres(demo):
    per_product = RoutingOperation.objects.values("product").annotate(n=Count("id"))
    assert len(per_product) >= 28
    assert all(4 <= row["n"] <= 10 for row in per_product)
    staffed = set(Shift.objects.values_list("work_centre_id", flat=True))
    for op in RoutingOperation.objects.prefetch_related("alternative_work_centres"):
        assert op.work_centre_id in staffed, op
        assert {wc.pk for wc in op.alternative_work_centres.all()} <= staffed, op
        assert op.run_minutes > 0
    assert RoutingOperation.alternative_work_centres.through.objects.exists()


def check_calendar_has_shifts_holidays_and_overtime(demo):
    assert Shift.objects.filter(name="夜班").count() >= 2
    assert all(shift.minutes > 0 for shift in Shift.objects.all())
    holidays = CalendarDay.objects.filter(work_centre=None, kind=CalendarDayKind.HOLIDAY)
    dates = {d.isoformat() for d in holidays.values_list("date", flat=True)}
    assert {"2026-10-01", "2026-10-07", "2026-02-17", "2027-01-01", "2027-10-01"} <= dates
    assert CalendarDay.objects.filter(kind=CalendarDayKind.OVERTIME).count() >= 3


def check_home_page_attention_lists_have_content(demo):
    admin_user = User.objects.get(username="admin")
    assert 1 <= selectors.products_without_routing(admin_user).count() <= 2
    assert selectors.products_without_bom(admin_user).count() == 1
    assert 3 <= selectors.materials_without_supplier(admin_user).count() <= 8
    assert selectors.work_centres_without_calendar(admin_user).count() == 1


def check_suppliers_and_customers(demo):
    assert all(s.contacts.exists() for s in Supplier.objects.all())
    offered = SupplierMaterial.objects.values("material").distinct().count()
    assert offered >= Material.objects.count() - 8
    assert all(
        row["n"] == 1
        for row in SupplierMaterial.objects.filter(is_preferred=True)
        .values("material")
        .annotate(n=Count("id"))
    )
    assert SupplierMaterial.objects.values("material").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert Customer.objects.filter(credit_status=CreditStatus.HOLD).count() == 1
    merchandisers = set(Customer.objects.values_list("merchandiser__username", flat=True))
    assert merchandisers == {"merchandiser", "merchandiser2"}
    for customer in Customer.objects.all():
        assert customer.name_en
        assert customer.contacts.filter(is_primary=True).count() == 1
        assert customer.addresses.filter(is_default=True).count() == 1


def check_stock_agrees_with_the_ledger(demo):
    materials = Material.objects.count()
    stocked = StockLevel.objects.filter(material__isnull=False, quantity__gt=0).count()
    assert stocked >= 0.8 * materials
    assert not StockLevel.objects.filter(quantity__lt=0).exists()
    below_safety = StockLevel.objects.filter(
        material__isnull=False, quantity__lt=F("material__safety_stock")
    ).count()
    assert below_safety >= 10
    assert StockLevel.objects.filter(warehouse__code="FG", product__isnull=False, quantity__gt=0).count() >= 3
    ledger = {
        (row["warehouse"], row["material"], row["product"]): row["total"]
        for row in StockMovement.objects.values("warehouse", "material", "product").annotate(
            total=Sum("quantity")
        )
    }
    for level in StockLevel.objects.all():
        # SQLite sums decimals in floating point: compare to the ten-thousandth the columns keep.
        total = Decimal(str(ledger[(level.warehouse_id, level.material_id, level.product_id)]))
        assert total.quantize(Decimal("0.0001")) == level.quantity
    # Opening balances, then what later steps received, issued to production, stocked in and
    # shipped, each naming its document (receipt, order, case).
    assert set(StockMovement.objects.filter(kind="opening").values_list("reference", flat=True)) == {"期初"}
    assert set(StockMovement.objects.values_list("kind", flat=True)) <= {
        "opening",
        "receipt",
        "issue",
        "production",
        "shipment",
    }
    assert not StockMovement.objects.exclude(kind="opening").filter(reference="").exists()
    assert StockMovement.objects.aggregate(total=Sum("quantity"))["total"] > Decimal(0)
