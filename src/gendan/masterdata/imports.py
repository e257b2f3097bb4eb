"""Excel import/export sheets of master data. Headers are accepted in Chinese or English;
the export of each list uses the same columns, so an export can be edited and imported back."""

from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.excel import Column, ImportSpec

from . import models as m
from .choices import CalendarDayKind, CreditStatus, MaterialKind, ProductKind
from .services import bom_import_finalize, routing_import_finalize

CUSTOMERS = ImportSpec(
    key="customers",
    model=m.Customer,
    title=_("Customers"),
    columns=[
        Column("code", _("Customer code"), required=True),
        Column("name", _("Customer name"), required=True),
        Column("name_en", _("English name")),
        Column("merchandiser", _("Merchandiser (user name)"), kind="fk", fk_model=User, fk_field="username"),
        Column("tax_id", _("Tax ID")),
        Column("phone", _("Phone")),
        Column("email", _("E-mail")),
        Column("credit_limit", _("Credit limit"), kind="decimal"),
        Column("credit_status", _("Credit status"), kind="choice", choices=CreditStatus),
        Column("notes", _("Notes")),
    ],
)

PRODUCTS = ImportSpec(
    key="products",
    model=m.Product,
    title=_("Products"),
    columns=[
        Column("code", _("Product code"), required=True),
        Column("name", _("Product name"), required=True),
        Column("name_en", _("English name")),
        Column("spec", _("Specification")),
        Column("kind", _("Kind"), kind="choice", choices=ProductKind, required=True),
        Column("unit", _("Unit"), required=True),
        Column("lead_time_days", _("Standard lead time (days)"), kind="int", required=True),
        Column("drawing_no", _("Drawing number")),
        Column("quality_standard", _("Quality standard")),
        Column("packaging_standard", _("Packaging standard")),
    ],
)

MATERIALS = ImportSpec(
    key="materials",
    model=m.Material,
    title=_("Materials"),
    columns=[
        Column("code", _("Material code"), required=True),
        Column("name", _("Material name"), required=True),
        Column("name_en", _("English name")),
        Column("spec", _("Specification")),
        Column("kind", _("Kind"), kind="choice", choices=MaterialKind, required=True),
        Column("unit", _("Unit"), required=True),
        Column("lead_time_days", _("Purchase lead time (days)"), kind="int", required=True),
        Column("min_order_qty", _("Minimum order quantity"), kind="decimal"),
        Column("order_multiple", _("Order multiple"), kind="decimal"),
        Column("safety_stock", _("Safety stock"), kind="decimal"),
    ],
)

BOM_LINES = ImportSpec(
    key="bom_lines",
    model=m.BomLine,
    title=_("Bills of materials"),
    key_columns=("parent", "position"),
    queryset=lambda: m.BomLine.objects.filter(is_archived=False),
    finalize=bom_import_finalize,
    columns=[
        Column("parent", _("Product code"), kind="fk", fk_model=m.Product, required=True),
        Column("position", _("Position"), kind="int", required=True),
        Column("component_material", _("Material code"), kind="fk", fk_model=m.Material),
        Column("component_product", _("Sub-assembly code"), kind="fk", fk_model=m.Product),
        Column("quantity", _("Quantity per unit"), kind="decimal", required=True),
        Column("scrap_pct", _("Scrap %"), kind="decimal"),
        Column("notes", _("Notes")),
    ],
)

ROUTING = ImportSpec(
    key="routing",
    model=m.RoutingOperation,
    title=_("Routings"),
    key_columns=("product", "sequence"),
    queryset=lambda: m.RoutingOperation.objects.filter(is_archived=False),
    finalize=routing_import_finalize,
    columns=[
        Column("product", _("Product code"), kind="fk", fk_model=m.Product, required=True),
        Column("sequence", _("Sequence"), kind="int", required=True),
        Column("name", _("Operation"), required=True),
        Column("work_centre", _("Work centre code"), kind="fk", fk_model=m.WorkCentre, required=True),
        Column("alternative_work_centres", _("Alternative work centres"), kind="m2m", fk_model=m.WorkCentre),
        Column("setup_minutes", _("Setup time (min)"), kind="decimal"),
        Column("run_minutes", _("Run time per unit (min)"), kind="decimal", required=True),
        Column("people", _("People needed"), kind="int"),
        Column("splittable", _("May be split across shifts"), kind="bool"),
        Column("instructions", _("Instructions")),
    ],
)

WORK_CENTRES = ImportSpec(
    key="work_centres",
    model=m.WorkCentre,
    title=_("Work centres"),
    columns=[
        Column("code", _("Work centre code"), required=True),
        Column("name", _("Work centre name"), required=True),
        Column("name_en", _("English name")),
        Column("machines", _("Machines"), kind="int", required=True),
        Column("headcount", _("Headcount"), kind="int", required=True),
        Column("efficiency_pct", _("Efficiency %"), kind="int"),
        Column("delay_threshold_hours", _("Late after (hours)"), kind="int"),
        Column("scrap_allowance_pct", _("Scrap allowance %"), kind="decimal"),
        Column("description", _("Description")),
    ],
)

CALENDAR_DAYS = ImportSpec(
    key="calendar_days",
    model=m.CalendarDay,
    title=_("Calendar days"),
    key_columns=("work_centre", "date"),
    columns=[
        Column("date", _("Date"), kind="date", required=True),
        Column(
            "work_centre",
            _("Work centre code"),
            kind="fk",
            fk_model=m.WorkCentre,
            help=_("empty = whole factory"),
        ),
        Column("kind", _("Kind"), kind="choice", choices=CalendarDayKind, required=True),
        Column("hours", _("Overtime hours"), kind="decimal"),
        Column("description", _("Description")),
    ],
)

SUPPLIERS = ImportSpec(
    key="suppliers",
    model=m.Supplier,
    title=_("Suppliers"),
    columns=[
        Column("code", _("Supplier code"), required=True),
        Column("name", _("Supplier name"), required=True),
        Column("name_en", _("English name")),
        Column("phone", _("Phone")),
        Column("email", _("E-mail")),
        Column("address", _("Address")),
        Column("capacity_note", _("Capacity")),
        Column("is_approved", _("Approved supplier"), kind="bool"),
        Column("notes", _("Notes")),
    ],
)

SUPPLIER_MATERIALS = ImportSpec(
    key="supplier_materials",
    model=m.SupplierMaterial,
    title=_("Supplier materials"),
    key_columns=("supplier", "material"),
    queryset=lambda: m.SupplierMaterial.objects.filter(is_archived=False),
    columns=[
        Column("supplier", _("Supplier code"), kind="fk", fk_model=m.Supplier, required=True),
        Column("material", _("Material code"), kind="fk", fk_model=m.Material, required=True),
        Column("unit_price", _("Unit price"), kind="decimal", required=True),
        Column("currency", _("Currency")),
        Column("lead_time_days", _("Lead time (days)"), kind="int"),
        Column("min_order_qty", _("Minimum order quantity"), kind="decimal"),
        Column("is_preferred", _("Preferred"), kind="bool"),
    ],
)

CUSTOMER_CONTACTS = ImportSpec(
    key="customer_contacts",
    model=m.CustomerContact,
    title=_("Customer contacts"),
    key_columns=("customer", "name"),
    queryset=lambda: m.CustomerContact.objects.filter(is_archived=False),
    columns=[
        Column("customer", _("Customer code"), kind="fk", fk_model=m.Customer, required=True),
        Column("name", _("Name"), required=True),
        Column("title", _("Title")),
        Column("phone", _("Phone")),
        Column("email", _("E-mail")),
        Column("is_primary", _("Primary contact"), kind="bool"),
    ],
)

DELIVERY_ADDRESSES = ImportSpec(
    key="delivery_addresses",
    model=m.DeliveryAddress,
    title=_("Delivery addresses"),
    key_columns=("customer", "label"),
    queryset=lambda: m.DeliveryAddress.objects.filter(is_archived=False),
    columns=[
        Column("customer", _("Customer code"), kind="fk", fk_model=m.Customer, required=True),
        Column("label", _("Label"), required=True),
        Column("address", _("Address"), required=True),
        Column("city", _("City")),
        Column("receiver", _("Receiver")),
        Column("phone", _("Phone")),
        Column("is_default", _("Default address"), kind="bool"),
    ],
)

SUPPLIER_CONTACTS = ImportSpec(
    key="supplier_contacts",
    model=m.SupplierContact,
    title=_("Supplier contacts"),
    key_columns=("supplier", "name"),
    queryset=lambda: m.SupplierContact.objects.filter(is_archived=False),
    columns=[
        Column("supplier", _("Supplier code"), kind="fk", fk_model=m.Supplier, required=True),
        Column("name", _("Name"), required=True),
        Column("title", _("Title")),
        Column("phone", _("Phone")),
        Column("email", _("E-mail")),
    ],
)

SHIFTS = ImportSpec(
    key="shifts",
    model=m.Shift,
    title=_("Shifts"),
    key_columns=("work_centre", "name"),
    queryset=lambda: m.Shift.objects.filter(is_archived=False),
    columns=[
        Column("work_centre", _("Work centre code"), kind="fk", fk_model=m.WorkCentre, required=True),
        Column("name", _("Shift name"), required=True),
        Column("start_time", _("Start"), kind="time", required=True),
        Column("end_time", _("End"), kind="time", required=True),
        Column("break_minutes", _("Break minutes"), kind="int"),
        Column("weekdays", _("Weekdays"), required=True, help=_("1 = Monday … 7 = Sunday, e.g. 1,2,3,4,5")),
    ],
)
