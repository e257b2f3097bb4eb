"""Master data: customers, products, materials, BOMs, routings, work centres, suppliers.

Nothing referenced is ever deleted: records are archived, and an archived record stays readable
wherever history points at it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.i18n import LocalName, LocalUnit
from gendan.core.models import MasterRecord

from .choices import CalendarDayKind, CreditStatus, MaterialKind, ProductKind

POSITIVE = [MinValueValidator(Decimal("0.000001"))]
NON_NEGATIVE = [MinValueValidator(0)]


class Customer(LocalName, MasterRecord):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    credit_status = models.CharField(
        _("credit status"), max_length=10, choices=CreditStatus.choices, default=CreditStatus.OK
    )
    merchandiser = models.ForeignKey(
        "accounts.User",
        verbose_name=_("merchandiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customers",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class CustomerContact(MasterRecord):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["customer__code", "-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer.code})"


class DeliveryAddress(MasterRecord):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="addresses"
    )
    label = models.CharField(_("label"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=100, blank=True)
    receiver = models.CharField(_("receiver"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default address"), default=False)

    class Meta:
        verbose_name = _("delivery address")
        verbose_name_plural = _("delivery addresses")
        ordering = ["customer__code", "-is_default", "label"]

    def __str__(self) -> str:
        return f"{self.customer.code} {self.label}"


class Product(LocalName, LocalUnit, MasterRecord):
    """Something the factory makes: a finished product or a sub-assembly with its own BOM/routing."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProductKind.choices, default=ProductKind.FINISHED
    )
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    lead_time_days = models.PositiveIntegerField(_("standard lead time (days)"), default=7)
    quality_standard = models.TextField(_("quality standard"), blank=True)
    packaging_standard = models.TextField(_("packaging standard"), blank=True)
    drawing_no = models.CharField(_("drawing number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class Material(LocalName, LocalUnit, MasterRecord):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.RAW)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    lead_time_days = models.PositiveIntegerField(_("purchase lead time (days)"), default=7)
    min_order_qty = models.DecimalField(
        _("minimum order quantity"), max_digits=14, decimal_places=4, default=0, validators=NON_NEGATIVE
    )
    order_multiple = models.DecimalField(
        _("order multiple"), max_digits=14, decimal_places=4, default=1, validators=POSITIVE
    )
    safety_stock = models.DecimalField(
        _("safety stock"), max_digits=14, decimal_places=4, default=0, validators=NON_NEGATIVE
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class BomLine(MasterRecord):
    """One component of a product: a material, or a sub-assembly (a product with its own BOM)."""

    parent = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="bom_lines"
    )
    position = models.PositiveIntegerField(_("position"), default=10)
    component_product = models.ForeignKey(
        Product,
        verbose_name=_("sub-assembly"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="used_in",
    )
    component_material = models.ForeignKey(
        Material,
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="used_in",
    )
    quantity = models.DecimalField(
        _("quantity per unit"), max_digits=14, decimal_places=6, validators=POSITIVE
    )
    scrap_pct = models.DecimalField(
        _("scrap %"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=NON_NEGATIVE,
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("BOM line")
        verbose_name_plural = _("bill of materials lines")
        ordering = ["parent__code", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(component_product__isnull=False) & Q(component_material__isnull=True))
                | (Q(component_product__isnull=True) & Q(component_material__isnull=False)),
                name="bomline_exactly_one_component",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.code} → {self.component}"

    @property
    def component(self):
        return self.component_product or self.component_material

    def clean(self):
        if bool(self.component_product_id) == bool(self.component_material_id):
            raise ValidationError(_("Choose either a material or a sub-assembly, not both or neither."))
        if self.component_product_id and self.component_product_id == self.parent_id:
            raise ValidationError({"component_product": _("A product cannot contain itself.")})
        if self.scrap_pct is not None and not (0 <= self.scrap_pct < 100):
            raise ValidationError({"scrap_pct": _("Scrap % must be at least 0 and below 100.")})


class WorkCentre(LocalName, MasterRecord):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    machines = models.PositiveIntegerField(_("machines"), default=1, validators=[MinValueValidator(1)])
    headcount = models.PositiveIntegerField(_("headcount"), default=1)
    efficiency_pct = models.PositiveIntegerField(
        _("efficiency %"), default=100, validators=[MinValueValidator(1)]
    )
    # Deviations: an operation this many hours behind its planned finish, or scrapping more
    # than this share of what it made, opens an issue.
    delay_threshold_hours = models.PositiveIntegerField(_("late after (hours)"), default=4)
    scrap_allowance_pct = models.DecimalField(
        _("scrap allowance %"), max_digits=5, decimal_places=2, default=Decimal("3"), validators=NON_NEGATIVE
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("work centre")
        verbose_name_plural = _("work centres")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class Shift(MasterRecord):
    """A working period repeated on some weekdays, e.g. day shift 08:00–17:00 Mon–Fri."""

    work_centre = models.ForeignKey(
        WorkCentre, verbose_name=_("work centre"), on_delete=models.PROTECT, related_name="shifts"
    )
    name = models.CharField(_("name"), max_length=50)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(
        _("end"), help_text=_("An end before the start means the shift runs past midnight.")
    )
    break_minutes = models.PositiveIntegerField(_("break minutes"), default=0)
    weekdays = models.CharField(
        _("weekdays"), max_length=20, default="1,2,3,4,5", help_text=_("1 = Monday … 7 = Sunday")
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["work_centre__code", "start_time"]

    def __str__(self) -> str:
        return f"{self.work_centre.code} {self.name} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def weekday_list(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays.split(",") if d.strip()})

    @property
    def minutes(self) -> int:
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        length = end - start if end > start else end + 24 * 60 - start
        return max(length - self.break_minutes, 0)

    def clean(self):
        try:
            days = self.weekday_list
        except ValueError:
            days = []
        if not days or any(d < 1 or d > 7 for d in days):
            raise ValidationError(
                {"weekdays": _("Give weekdays as numbers 1–7 separated by commas, e.g. 1,2,3,4,5.")}
            )
        if self.start_time == self.end_time:
            raise ValidationError({"end_time": _("A shift must not start and end at the same time.")})
        if self.minutes <= 0:
            raise ValidationError({"break_minutes": _("The break is as long as the shift.")})


class CalendarDay(MasterRecord):
    """A holiday, or an overtime day that is worked although it normally is not.
    Without a work centre it applies to the whole factory."""

    work_centre = models.ForeignKey(
        WorkCentre,
        verbose_name=_("work centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_days",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices)
    hours = models.DecimalField(
        _("overtime hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("For an overtime day: hours worked (empty = the normal shifts)."),
    )
    description = models.CharField(_("description"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["work_centre", "date"], name="calendarday_unique_per_centre"),
        ]

    def __str__(self) -> str:
        where = self.work_centre.code if self.work_centre_id else _("factory")
        return f"{self.date} {self.get_kind_display()} ({where})"


class RoutingOperation(MasterRecord):
    """One step of a product's routing, in sequence order."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="operations"
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    name = models.CharField(_("operation"), max_length=100)
    work_centre = models.ForeignKey(
        WorkCentre, verbose_name=_("work centre"), on_delete=models.PROTECT, related_name="operations"
    )
    alternative_work_centres = models.ManyToManyField(
        WorkCentre,
        verbose_name=_("alternative work centres"),
        blank=True,
        related_name="alternative_operations",
    )
    setup_minutes = models.DecimalField(
        _("setup time (min)"), max_digits=10, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    run_minutes = models.DecimalField(
        _("run time per unit (min)"), max_digits=10, decimal_places=4, validators=NON_NEGATIVE
    )
    people = models.PositiveIntegerField(_("people needed"), default=1)
    splittable = models.BooleanField(_("may be split across shifts"), default=True)
    instructions = models.TextField(_("instructions"), blank=True)

    class Meta:
        verbose_name = _("routing operation")
        verbose_name_plural = _("routing operations")
        ordering = ["product__code", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "sequence"],
                condition=Q(is_archived=False),
                name="routing_unique_sequence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.code} #{self.sequence} {self.name}"


class Supplier(LocalName, MasterRecord):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity_note = models.CharField(_("capacity"), max_length=200, blank=True)
    is_approved = models.BooleanField(_("approved supplier"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class SupplierContact(MasterRecord):
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")
        ordering = ["supplier__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.supplier.code})"


class SupplierMaterial(MasterRecord):
    """Which supplier supplies which material, at what price and lead time."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="supplied_materials"
    )
    material = models.ForeignKey(
        Material, verbose_name=_("material"), on_delete=models.PROTECT, related_name="supplier_offers"
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=14, decimal_places=4, validators=NON_NEGATIVE
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=7)
    min_order_qty = models.DecimalField(
        _("minimum order quantity"), max_digits=14, decimal_places=4, default=0, validators=NON_NEGATIVE
    )
    is_preferred = models.BooleanField(_("preferred"), default=False)

    class Meta:
        verbose_name = _("supplier material")
        verbose_name_plural = _("supplier materials")
        ordering = ["material__code", "-is_preferred", "unit_price"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "material"],
                condition=Q(is_archived=False),
                name="suppliermaterial_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier.code} · {self.material.code}"
