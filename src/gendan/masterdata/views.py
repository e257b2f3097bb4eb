"""Master-data pages. Each entity states its columns, filters, form, import sheet and services;
core.crud.EntityViews supplies list, detail, create, edit, archive, history, export and import."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.crud import Col, EntityViews, Related

from . import filters, forms, imports, services
from . import models as m


class CustomerViews(EntityViews):
    model, namespace, slug = m.Customer, "masterdata", "customer"
    form_class, filterset_class, import_spec = forms.CustomerForm, filters.CustomerFilter, imports.CUSTOMERS
    select_related = ("merchandiser",)
    columns = [
        Col("code", _("Code"), "code", link=True),
        Col("local_name", _("Name"), "name"),
        Col("name_en", _("English name"), "name_en"),
        Col("merchandiser", _("Merchandiser"), "merchandiser__username"),
        Col("phone", _("Phone")),
        Col("credit_status", _("Credit status"), "credit_status"),
        Col("credit_limit", _("Credit limit"), "credit_limit"),
    ]
    related = [
        Related(
            _("Contacts"),
            lambda o: o.contacts.all(),
            [
                Col("name", _("Name")),
                Col("title", _("Title")),
                Col("phone", _("Phone")),
                Col("email", _("E-mail")),
                Col("is_primary", _("Primary")),
            ],
            "masterdata:contact",
            "customer",
        ),
        Related(
            _("Delivery addresses"),
            lambda o: o.addresses.all(),
            [
                Col("label", _("Label")),
                Col("address", _("Address")),
                Col("receiver", _("Receiver")),
                Col("phone", _("Phone")),
                Col("is_default", _("Default")),
            ],
            "masterdata:address",
            "customer",
        ),
    ]


class CustomerContactViews(EntityViews):
    model, namespace, slug = m.CustomerContact, "masterdata", "contact"
    form_class, filterset_class = forms.CustomerContactForm, filters.CustomerContactFilter
    import_spec = imports.CUSTOMER_CONTACTS
    select_related = ("customer",)
    default_sort = "customer__code"
    columns = [
        Col("name", _("Name"), "name", link=True),
        Col("customer", _("Customer"), "customer__code"),
        Col("title", _("Title")),
        Col("phone", _("Phone")),
        Col("email", _("E-mail")),
        Col("is_primary", _("Primary")),
    ]


class DeliveryAddressViews(EntityViews):
    model, namespace, slug = m.DeliveryAddress, "masterdata", "address"
    form_class, filterset_class = forms.DeliveryAddressForm, filters.DeliveryAddressFilter
    import_spec = imports.DELIVERY_ADDRESSES
    select_related = ("customer",)
    default_sort = "customer__code"
    columns = [
        Col("label", _("Label"), "label", link=True),
        Col("customer", _("Customer"), "customer__code"),
        Col("address", _("Address")),
        Col("city", _("City"), "city"),
        Col("receiver", _("Receiver")),
        Col("is_default", _("Default")),
    ]


class ProductViews(EntityViews):
    model, namespace, slug = m.Product, "masterdata", "product"
    form_class, filterset_class, import_spec = forms.ProductForm, filters.ProductFilter, imports.PRODUCTS
    columns = [
        Col("code", _("Code"), "code", link=True),
        Col("local_name", _("Name"), "name"),
        Col("spec", _("Specification"), "spec"),
        Col("kind", _("Kind"), "kind"),
        Col("unit", _("Unit")),
        Col("lead_time_days", _("Lead time (days)"), "lead_time_days"),
    ]
    related = [
        Related(
            _("Bill of materials"),
            lambda o: o.bom_lines.select_related("component_material", "component_product"),
            [
                Col("position", _("Position")),
                Col("component", _("Component")),
                Col("quantity", _("Quantity per unit")),
                Col("scrap_pct", _("Scrap %")),
            ],
            "masterdata:bomline",
            "parent",
        ),
        Related(
            _("Routing"),
            lambda o: o.operations.select_related("work_centre"),
            [
                Col("sequence", _("Sequence")),
                Col("name", _("Operation")),
                Col("work_centre", _("Work centre")),
                Col("setup_minutes", _("Setup (min)")),
                Col("run_minutes", _("Run (min/unit)")),
                Col("people", _("People")),
            ],
            "masterdata:operation",
            "product",
        ),
    ]


class MaterialViews(EntityViews):
    model, namespace, slug = m.Material, "masterdata", "material"
    form_class, filterset_class, import_spec = forms.MaterialForm, filters.MaterialFilter, imports.MATERIALS
    columns = [
        Col("code", _("Code"), "code", link=True),
        Col("local_name", _("Name"), "name"),
        Col("spec", _("Specification"), "spec"),
        Col("kind", _("Kind"), "kind"),
        Col("unit", _("Unit")),
        Col("lead_time_days", _("Lead time (days)"), "lead_time_days"),
        Col("min_order_qty", _("MOQ"), "min_order_qty"),
        Col("safety_stock", _("Safety stock"), "safety_stock"),
    ]
    related = [
        Related(
            _("Suppliers"),
            lambda o: o.supplier_offers.select_related("supplier"),
            [
                Col("supplier", _("Supplier")),
                Col("unit_price", _("Unit price")),
                Col("currency", _("Currency")),
                Col("lead_time_days", _("Lead time (days)")),
                Col("is_preferred", _("Preferred")),
            ],
            "masterdata:suppliermaterial",
            "material",
        ),
    ]


class BomLineViews(EntityViews):
    model, namespace, slug = m.BomLine, "masterdata", "bomline"
    form_class, filterset_class, import_spec = forms.BomLineForm, filters.BomLineFilter, imports.BOM_LINES
    select_related = ("parent", "component_material", "component_product")
    default_sort = "parent__code"
    columns = [
        Col("parent", _("Product"), "parent__code", link=True),
        Col("position", _("Position"), "position"),
        Col("component", _("Component")),
        Col("quantity", _("Quantity per unit"), "quantity"),
        Col("scrap_pct", _("Scrap %"), "scrap_pct"),
        Col("notes", _("Notes")),
    ]

    def create(self, *, actor, data):
        return services.bomline_create(actor=actor, data=data)

    def update(self, *, actor, pk, data):
        return services.bomline_update(actor=actor, pk=pk, data=data)

    def set_archived(self, *, actor, pk, archived):
        return services.bomline_set_archived(actor=actor, pk=pk, archived=archived)


class RoutingOperationViews(EntityViews):
    model, namespace, slug = m.RoutingOperation, "masterdata", "operation"
    form_class, filterset_class, import_spec = (
        forms.RoutingOperationForm,
        filters.RoutingOperationFilter,
        imports.ROUTING,
    )
    select_related = ("product", "work_centre")
    prefetch_related = ("alternative_work_centres",)
    default_sort = "product__code"
    columns = [
        Col("product", _("Product"), "product__code", link=True),
        Col("sequence", _("Sequence"), "sequence"),
        Col("name", _("Operation"), "name"),
        Col("work_centre", _("Work centre"), "work_centre__code"),
        Col(
            "alternative_work_centres", _("Alternatives"), fmt=lambda qs: ", ".join(w.code for w in qs.all())
        ),
        Col("setup_minutes", _("Setup (min)"), "setup_minutes"),
        Col("run_minutes", _("Run (min/unit)"), "run_minutes"),
        Col("people", _("People"), "people"),
    ]


class WorkCentreViews(EntityViews):
    model, namespace, slug = m.WorkCentre, "masterdata", "workcentre"
    form_class, filterset_class, import_spec = (
        forms.WorkCentreForm,
        filters.WorkCentreFilter,
        imports.WORK_CENTRES,
    )
    columns = [
        Col("code", _("Code"), "code", link=True),
        Col("local_name", _("Name"), "name"),
        Col("machines", _("Machines"), "machines"),
        Col("headcount", _("Headcount"), "headcount"),
        Col("efficiency_pct", _("Efficiency %"), "efficiency_pct"),
    ]
    related = [
        Related(
            _("Shifts"),
            lambda o: o.shifts.all(),
            [
                Col("name", _("Name")),
                Col("start_time", _("Start")),
                Col("end_time", _("End")),
                Col("break_minutes", _("Break (min)")),
                Col("weekdays", _("Weekdays")),
            ],
            "masterdata:shift",
            "work_centre",
        ),
        Related(
            _("Holidays and overtime days"),
            lambda o: o.calendar_days.all(),
            [
                Col("date", _("Date")),
                Col("kind", _("Kind")),
                Col("hours", _("Hours")),
                Col("description", _("Description")),
            ],
            "masterdata:calendarday",
            "work_centre",
        ),
    ]


class ShiftViews(EntityViews):
    model, namespace, slug = m.Shift, "masterdata", "shift"
    form_class, filterset_class = forms.ShiftForm, filters.ShiftFilter
    import_spec = imports.SHIFTS
    select_related = ("work_centre",)
    default_sort = "work_centre__code"
    columns = [
        Col("work_centre", _("Work centre"), "work_centre__code", link=True),
        Col("name", _("Name"), "name"),
        Col("start_time", _("Start"), "start_time"),
        Col("end_time", _("End")),
        Col("break_minutes", _("Break (min)")),
        Col("weekdays", _("Weekdays")),
    ]


class CalendarDayViews(EntityViews):
    model, namespace, slug = m.CalendarDay, "masterdata", "calendarday"
    form_class, filterset_class, import_spec = (
        forms.CalendarDayForm,
        filters.CalendarDayFilter,
        imports.CALENDAR_DAYS,
    )
    select_related = ("work_centre",)
    default_sort = "date"
    columns = [
        Col("date", _("Date"), "date", link=True),
        Col("kind", _("Kind"), "kind"),
        Col("work_centre", _("Work centre"), "work_centre__code", fmt=lambda v: v or _("Whole factory")),
        Col("hours", _("Hours")),
        Col("description", _("Description")),
    ]


class SupplierViews(EntityViews):
    model, namespace, slug = m.Supplier, "masterdata", "supplier"
    form_class, filterset_class, import_spec = forms.SupplierForm, filters.SupplierFilter, imports.SUPPLIERS
    columns = [
        Col("code", _("Code"), "code", link=True),
        Col("local_name", _("Name"), "name"),
        Col("phone", _("Phone")),
        Col("capacity_note", _("Capacity")),
        Col("is_approved", pgettext_lazy("supplier", "Approved"), "is_approved"),
    ]
    related = [
        Related(
            _("Contacts"),
            lambda o: o.contacts.all(),
            [
                Col("name", _("Name")),
                Col("title", _("Title")),
                Col("phone", _("Phone")),
                Col("email", _("E-mail")),
            ],
            "masterdata:suppliercontact",
            "supplier",
        ),
        Related(
            _("Materials supplied"),
            lambda o: o.supplied_materials.select_related("material"),
            [
                Col("material", _("Material")),
                Col("unit_price", _("Unit price")),
                Col("currency", _("Currency")),
                Col("lead_time_days", _("Lead time (days)")),
                Col("is_preferred", _("Preferred")),
            ],
            "masterdata:suppliermaterial",
            "supplier",
        ),
    ]


class SupplierContactViews(EntityViews):
    model, namespace, slug = m.SupplierContact, "masterdata", "suppliercontact"
    form_class, filterset_class = forms.SupplierContactForm, filters.SupplierContactFilter
    import_spec = imports.SUPPLIER_CONTACTS
    select_related = ("supplier",)
    default_sort = "supplier__code"
    columns = [
        Col("name", _("Name"), "name", link=True),
        Col("supplier", _("Supplier"), "supplier__code"),
        Col("title", _("Title")),
        Col("phone", _("Phone")),
        Col("email", _("E-mail")),
    ]


class SupplierMaterialViews(EntityViews):
    model, namespace, slug = m.SupplierMaterial, "masterdata", "suppliermaterial"
    form_class, filterset_class, import_spec = (
        forms.SupplierMaterialForm,
        filters.SupplierMaterialFilter,
        imports.SUPPLIER_MATERIALS,
    )
    select_related = ("supplier", "material")
    default_sort = "material__code"
    columns = [
        Col("material", _("Material"), "material__code", link=True),
        Col("supplier", _("Supplier"), "supplier__code"),
        Col("unit_price", _("Unit price"), "unit_price"),
        Col("currency", _("Currency")),
        Col("lead_time_days", _("Lead time (days)"), "lead_time_days"),
        Col("min_order_qty", _("MOQ")),
        Col("is_preferred", _("Preferred"), "is_preferred"),
    ]


customers = CustomerViews()
contacts = CustomerContactViews()
addresses = DeliveryAddressViews()
products = ProductViews()
materials = MaterialViews()
bom_lines = BomLineViews()
operations = RoutingOperationViews()
work_centres = WorkCentreViews()
shifts = ShiftViews()
calendar_days = CalendarDayViews()
suppliers = SupplierViews()
supplier_contacts = SupplierContactViews()
supplier_materials = SupplierMaterialViews()

ALL = [
    customers,
    contacts,
    addresses,
    products,
    materials,
    bom_lines,
    operations,
    work_centres,
    shifts,
    calendar_days,
    suppliers,
    supplier_contacts,
    supplier_materials,
]
