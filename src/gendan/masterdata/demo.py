"""Demo master data: 粤顺电器, a Foshan maker of electric fans (tables in demo_data.py).

Every record goes through the generic create service (validated and audited) and is looked up by
its code or natural key first, so a second run creates, changes and records nothing. Variety comes from
random generators seeded per item, so the result does not depend on what already exists."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import models

from gendan.core.demo import DemoPart, DemoSeeder

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


def _rng(*key: Any) -> random.Random:
    """A generator for one item: the same item always gets the same numbers."""
    return random.Random(":".join(str(k) for k in (SEED, *key)))


def _by_code(records: dict[tuple, models.Model]) -> dict[str, models.Model]:
    return {key[0]: obj for key, obj in records.items()}


def build_masterdata(*, users, **_earlier) -> DemoPart:
    """The demo's master data (after the people, see core.demo)."""
    seeder = DemoSeeder(users["admin"])

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

    counts = {
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
    }
    # The warehouse's demo part books opening stock of these (inventory/demo.py).
    return DemoPart(counts=counts, provides={"materials": materials, "products": products})


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
