"""Demo master data: 粤顺电器, a Foshan maker of electric fans (tables in demo_data.py).

Every record goes through the generic create service (validated and audited) and is looked up by
its code or natural key first, so a second run creates, changes and records nothing. Opening stock
goes through the stock ledger, only for items that have no stock level yet. Variety comes from
random generators seeded per item, so the result does not depend on what already exists."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import connection, models

from gendan.core.audit import audit_bulk, snapshot
from gendan.core.demo import DemoPart
from gendan.inventory.choices import MovementKind
from gendan.inventory.models import StockLevel, StockMovement, Warehouse
from gendan.inventory.services import stock_move

from . import demo_data as data
from .choices import CalendarDayKind, CreditStatus, MaterialKind, ProductKind
from .models import (
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
from .services import bom_graph, describe_cycle, find_cycle

SEED = 20260315

MATERIAL_KIND = {
    "R": MaterialKind.RAW,
    "P": MaterialKind.PART,
    "K": MaterialKind.PACKAGING,
    "C": MaterialKind.CONSUMABLE,
}
PRODUCT_KIND = {"F": ProductKind.FINISHED, "S": ProductKind.SUB_ASSEMBLY}
DECIMAL_UNITS = {"kg", "米", "L"}


def _rng(*key: Any) -> random.Random:
    """A generator for one item: the same item always gets the same numbers."""
    return random.Random(":".join(str(k) for k in (SEED, *key)))


class _Seeder:
    """Creates missing rows the way record_create does (full_clean, then an audit entry per record),
    but in one INSERT per table: record by record the demo took several seconds longer."""

    def __init__(self, actor):
        self.actor = actor

    def ensure(
        self, model: type[models.Model], key_fields: tuple[str, ...], rows: list[dict[str, Any]]
    ) -> dict[tuple, models.Model]:
        """Create the rows that do not exist yet (by key); return every row's record by key."""
        attnames = [model._meta.get_field(name).attname for name in key_fields]
        existing = {tuple(getattr(obj, a) for a in attnames): obj for obj in model.objects.all()}
        m2m_names = {f.name for f in model._meta.many_to_many}
        # Related records are passed as saved objects, so their existence needs no query; unique
        # fields and constraints were checked by the key lookup and are enforced by the database.
        fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
        result, new = {}, []
        for row in rows:
            key = tuple(v.pk if isinstance(v, models.Model) else v for v in (row[f] for f in key_fields))
            obj = existing.get(key)
            if obj is None:
                obj = model(**{k: v for k, v in row.items() if k not in m2m_names})
                obj.full_clean(exclude=fk_names, validate_unique=False, validate_constraints=False)
                m2m = {k: v for k, v in row.items() if k in m2m_names}
                new.append((obj, m2m))
                existing[key] = obj
            result[key] = obj
        if new:
            self._insert(model, new)
        return result

    def _insert(self, model, new: list[tuple[models.Model, dict[str, list]]]) -> None:
        objs = [obj for obj, _m2m in new]
        if connection.features.can_return_rows_from_bulk_insert:
            model.objects.bulk_create(objs, batch_size=500)
        else:
            for obj in objs:
                obj.save()
        for name in {name for _obj, m2m in new for name in m2m}:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": obj.pk, f"{target}_id": other.pk})
                    for obj, m2m in new
                    for other in m2m.get(name, [])
                ]
            )
        items = []
        for obj, m2m in new:
            values = snapshot(obj) | {k: sorted(str(o) for o in v) for k, v in m2m.items()}
            items.append(
                (obj, "create", {k: [None, v] for k, v in values.items() if v not in (None, "", [])})
            )
        audit_bulk(actor=self.actor, items=items)


def _by_code(records: dict[tuple, models.Model]) -> dict[str, models.Model]:
    return {key[0]: obj for key, obj in records.items()}


def build_masterdata(*, users, **_earlier) -> DemoPart:
    """The demo's master data and opening stock (after the people, see core.demo)."""
    seeder = _Seeder(users["admin"])

    warehouses = _by_code(
        seeder.ensure(
            Warehouse,
            ("code",),
            [
                {"code": code, "name": name, "name_en": en, "address": address, "keeper": users["warehouse"]}
                for code, name, en, address in data.WAREHOUSES
            ],
        )
    )

    centres = _by_code(
        seeder.ensure(
            WorkCentre,
            ("code",),
            [
                {
                    "code": code,
                    "name": name,
                    "name_en": en,
                    "machines": machines,
                    "headcount": headcount,
                    "efficiency_pct": efficiency,
                    "description": description,
                }
                for code, name, en, machines, headcount, efficiency, description in data.WORK_CENTRES
            ],
        )
    )

    seeder.ensure(
        Shift,
        ("work_centre", "name"),
        [
            {
                "work_centre": centres[wc],
                "name": name,
                "start_time": datetime.time(*start),
                "end_time": datetime.time(*end),
                "break_minutes": break_minutes,
                "weekdays": weekdays,
            }
            for wc, name, start, end, break_minutes, weekdays in data.SHIFTS
        ],
    )

    calendar = [
        {"work_centre": None, "date": day, "kind": CalendarDayKind.HOLIDAY, "description": name}
        for name, days in data.HOLIDAYS
        for day in days
    ]
    calendar += [
        {
            "work_centre": centres[wc] if wc else None,
            "date": datetime.date.fromisoformat(day),
            "kind": CalendarDayKind.OVERTIME,
            "hours": Decimal(hours) if hours else None,
            "description": why,
        }
        for wc, day, hours, why in data.OVERTIME
    ]
    seeder.ensure(CalendarDay, ("work_centre", "date"), calendar)

    materials = _by_code(
        seeder.ensure(
            Material,
            ("code",),
            [
                {
                    "code": code,
                    "name": name,
                    "name_en": en,
                    "spec": spec,
                    "kind": MATERIAL_KIND[kind],
                    "unit": unit,
                    "lead_time_days": lead,
                    "min_order_qty": Decimal(moq),
                    "order_multiple": Decimal(multiple),
                    "safety_stock": Decimal(safety),
                }
                for code, name, en, spec, kind, unit, _price, lead, moq, multiple, safety in data.MATERIALS
            ],
        )
    )

    products = _by_code(
        seeder.ensure(
            Product,
            ("code",),
            [
                {
                    "code": code,
                    "name": name,
                    "name_en": en,
                    "spec": spec,
                    "kind": PRODUCT_KIND[kind],
                    "unit": unit,
                    "lead_time_days": lead,
                    "drawing_no": drawing,
                    "quality_standard": data.FINISHED_QUALITY
                    if kind == "F"
                    else f"按图纸 {drawing} 及工艺卡检验",
                    "packaging_standard": data.FINISHED_PACKING
                    if kind == "F"
                    else "周转箱 / 周转车，按层隔开防刮",
                }
                for code, name, en, spec, kind, unit, lead, drawing in data.PRODUCTS
            ],
        )
    )

    bom_rows = []
    for parent, lines in data.BOMS.items():
        for n, (component, quantity, scrap) in enumerate(lines, start=1):
            bom_rows.append(
                {
                    "parent": products[parent],
                    "position": n * 10,
                    "component_product": products.get(component),
                    "component_material": materials.get(component),
                    "quantity": Decimal(str(quantity)),
                    "scrap_pct": Decimal(scrap),
                }
            )
    seeder.ensure(BomLine, ("parent", "position"), bom_rows)
    cycle = find_cycle(bom_graph())
    if cycle:  # the tables are wrong, or someone edited the demo BOMs into a loop
        raise ValueError(f"demo BOM has a cycle: {describe_cycle(cycle)}")

    op_rows = []
    for product, ops in data.ROUTINGS.items():
        for n, (name, wc, alternatives, setup, run, people) in enumerate(ops, start=1):
            op_rows.append(
                {
                    "product": products[product],
                    "sequence": n * 10,
                    "name": name,
                    "work_centre": centres[wc],
                    "alternative_work_centres": [centres[a] for a in alternatives],
                    "setup_minutes": Decimal(setup),
                    "run_minutes": Decimal(run),
                    "people": people,
                }
            )
    seeder.ensure(RoutingOperation, ("product", "sequence"), op_rows)

    suppliers = _by_code(
        seeder.ensure(
            Supplier,
            ("code",),
            [
                {
                    "code": code,
                    "name": name,
                    "name_en": en,
                    "phone": phone,
                    "email": email,
                    "address": address,
                    "capacity_note": capacity,
                }
                for code, name, en, phone, email, address, capacity, _contacts in data.SUPPLIERS
            ],
        )
    )
    seeder.ensure(
        SupplierContact,
        ("supplier", "name"),
        [
            {"supplier": suppliers[code], "name": name, "title": title, "phone": phone, "email": email}
            for code, *_rest, contacts in data.SUPPLIERS
            for name, title, phone, email in contacts
        ],
    )
    seeder.ensure(SupplierMaterial, ("supplier", "material"), _offers(materials, suppliers))

    merchandisers = {1: users["merchandiser"], 2: users["merchandiser2"]}
    customers = _by_code(
        seeder.ensure(
            Customer,
            ("code",),
            [
                {
                    "code": code,
                    "name": name,
                    "name_en": en,
                    "tax_id": _tax_id(code, phone),
                    "phone": phone,
                    "email": email,
                    "credit_limit": Decimal(limit) if limit else None,
                    "credit_status": CreditStatus.HOLD if hold else CreditStatus.OK,
                    "merchandiser": merchandisers[who],
                    "notes": notes,
                }
                for code, name, en, phone, email, limit, hold, who, notes, _c, _a in data.CUSTOMERS
            ],
        )
    )
    seeder.ensure(
        CustomerContact,
        ("customer", "name"),
        [
            {
                "customer": customers[row[0]],
                "name": name,
                "title": title,
                "phone": phone,
                "email": email,
                "is_primary": n == 0,
            }
            for row in data.CUSTOMERS
            for n, (name, title, phone, email) in enumerate(row[9])
        ],
    )
    seeder.ensure(
        DeliveryAddress,
        ("customer", "label"),
        [
            {
                "customer": customers[row[0]],
                "label": label,
                "address": address,
                "city": city,
                "receiver": receiver,
                "phone": phone,
                "is_default": n == 0,
            }
            for row in data.CUSTOMERS
            for n, (label, address, city, receiver, phone) in enumerate(row[10])
        ],
    )

    _opening_stock(users["warehouse"], warehouses, materials, products)

    counts = {
        "warehouses": Warehouse.objects.count(),
        "work centres": WorkCentre.objects.count(),
        "shifts": Shift.objects.count(),
        "calendar days": CalendarDay.objects.count(),
        "materials": Material.objects.count(),
        "products": Product.objects.count(),
        "BOM lines": BomLine.objects.count(),
        "routing operations": RoutingOperation.objects.count(),
        "suppliers": Supplier.objects.count(),
        "supplier offers": SupplierMaterial.objects.count(),
        "customers": Customer.objects.count(),
        "customer contacts": CustomerContact.objects.count(),
        "delivery addresses": DeliveryAddress.objects.count(),
        "stock levels": StockLevel.objects.count(),
        "stock movements": StockMovement.objects.count(),
    }
    return DemoPart(counts=counts)


def _supplier_codes(code: str) -> tuple[str, str | None]:
    return data.SUPPLIER_OF.get(code) or data.SUPPLIER_OF[code[:2]]


def _offers(materials, suppliers) -> list[dict[str, Any]]:
    rows = []
    for code, _n, _e, _s, _k, _u, price, lead, moq, _m, _ss in data.MATERIALS:
        if code in data.NO_SUPPLIER:
            continue
        preferred, second = _supplier_codes(code)
        rng = _rng("offer", code)
        base = Decimal(price)
        rows.append(
            {
                "supplier": suppliers[preferred],
                "material": materials[code],
                "unit_price": base,
                "lead_time_days": lead,
                "min_order_qty": Decimal(moq),
                "is_preferred": True,
            }
        )
        if second and rng.random() < 0.45:
            factor = Decimal(str(round(rng.uniform(1.03, 1.15), 2)))
            rows.append(
                {
                    "supplier": suppliers[second],
                    "material": materials[code],
                    "unit_price": (base * factor).quantize(Decimal("0.0001")),
                    "lead_time_days": max(3, lead + rng.choice((-3, -2, 2, 5))),
                    "min_order_qty": Decimal(moq) / 2 if rng.random() < 0.5 else Decimal(moq),
                    "is_preferred": False,
                }
            )
    return rows


def _tax_id(code: str, phone: str) -> str:
    """A unified social credit code (统一社会信用代码) look-alike for Chinese customers."""
    if phone.startswith("+"):
        return ""
    rng = _rng("tax", code)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return (
        "91"
        + "".join(rng.choice("0123456789") for _ in range(6))
        + "".join(rng.choice(alphabet) for _ in range(10))
    )


def _material_stock_plan() -> dict[str, Decimal]:
    """Opening quantity per material code: ~13% have none, ~17% are below safety stock."""
    codes = sorted(row[0] for row in data.MATERIALS)
    random.Random(SEED).shuffle(codes)
    none, low = set(codes[:20]), set(codes[20:46])
    plan = {}
    for code, _n, _e, _s, _k, unit, _p, _l, moq, _m, safety in data.MATERIALS:
        if code in none:
            continue
        rng = _rng("stock", code)
        base = Decimal(safety or moq or 100)
        factor = rng.uniform(0.2, 0.8) if code in low and safety else rng.uniform(1.2, 4.0)
        places = Decimal("0.1") if unit in DECIMAL_UNITS else Decimal("1")
        quantity = (base * Decimal(str(factor))).quantize(places)
        plan[code] = max(quantity, places)
    return plan


def _opening_stock(keeper, warehouses, materials, products) -> None:
    raw = warehouses["RM"]
    stocked = set(
        StockLevel.objects.filter(warehouse=raw, material__isnull=False).values_list("material_id", flat=True)
    )
    for code, quantity in _material_stock_plan().items():
        material = materials[code]
        if material.pk not in stocked:
            stock_move(
                actor=keeper,
                warehouse=raw,
                material=material,
                quantity=quantity,
                kind=MovementKind.OPENING,
                reference="期初",
            )
    stocked = set(StockLevel.objects.filter(product__isnull=False).values_list("warehouse_id", "product_id"))
    for wh, code, quantity in data.PRODUCT_STOCK:
        warehouse, product = warehouses[wh], products[code]
        if (warehouse.pk, product.pk) not in stocked:
            stock_move(
                actor=keeper,
                warehouse=warehouse,
                product=product,
                quantity=Decimal(quantity),
                kind=MovementKind.OPENING,
                reference="期初",
            )
