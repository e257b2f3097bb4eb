"""What each role may do, in one table. Permission names are Django's `app.action_model`.

The authentication backend reads this table, so `user.has_perm(...)`, `@permission_required`
and the API's permission class all agree without any per-user permission rows. It is the first
half of `Model.objects.restrict(user, action)` (core.permissions); the records' own rules (his
department, his order) are the second. People and permissions are the administrator's alone:
no role here has the accounts permissions.
"""

from .choices import Role

# Master data everyone on the staff reads (a planner needs customers' names, logistics addresses).
# Whom to talk to at a customer (its contact people) is for those who talk to it: see _CUSTOMER_TALK.
_SHARED_VIEW = {
    "masterdata.view_customer",
    "masterdata.view_deliveryaddress",
    "masterdata.view_product",
    "masterdata.view_material",
    "masterdata.view_bomline",
    "masterdata.view_routingoperation",
    "masterdata.view_workcentre",
    "masterdata.view_shift",
    "masterdata.view_calendarday",
    "inventory.view_warehouse",
    "inventory.view_stocklevel",
    "inventory.view_stockmovement",
}
# Suppliers and their prices are commercial: only the roles that buy or judge suppliers see them.
_SUPPLIER_VIEW = {
    "masterdata.view_supplier",
    "masterdata.view_suppliercontact",
    "masterdata.view_suppliermaterial",
}


# The merchandiser talks to the customer; management receives its escalations.
_CUSTOMER_TALK = {"masterdata.view_customercontact"}


def _manage(*names: str) -> set[str]:
    perms = set()
    for name in names:
        app, model = name.split(".")
        perms |= {f"{app}.{action}_{model}" for action in ("view", "add", "change")}
    return perms


# Orders: merchandisers own them; the receiving departments read released ones and acknowledge.
# Which orders each may see or act on (his own, released ones, his department's acknowledgement)
# is the object rule of orders/models.py (OrderQuerySet and the querysets of its parts).
_ORDER_OWNER = {
    "orders.view_order",
    "orders.add_order",
    "orders.change_order",  # edit, hold, resume, cancel, record progress, record a change request
    "orders.review_order",  # send to review, check again, resolve findings, ask the customer
    "orders.release_order",
    "orders.approve_changerequest",
}
_ORDER_RECEIVER = {"orders.view_order", "orders.acknowledge_order"}

# Production plans: production plans them, the order's merchandiser approves (his
# own orders: planning/querysets.py), purchasing and quality read them for materials and checks.
_PLAN_READ = {"planning.view_plan", "shopfloor.view_productionreport", "issues.view_maintenancerecord"}
_PLAN_MAKE = (
    _PLAN_READ
    | {
        "planning.add_plan",
        "planning.change_plan",
        "shopfloor.add_productionreport",
        "shopfloor.allow_over_report",  # a supervisor lets an operation report more than was passed on
        "shopfloor.view_scrapreason",
    }
    | _manage("shopfloor.scrapreason", "issues.maintenancerecord")
)
# The issue register (异常, R-2.6): anyone on the staff may open one and work on those he is
# involved in (issues/querysets.py); the order's merchandiser closes it.
_ISSUE_WORK = {"issues.view_issue", "issues.add_issue", "issues.change_issue"}
# Coordination meetings (协调会, R-4.3): every staff role reads the meetings it is involved in;
# management, merchandisers and department managers call them (meetings/querysets.py narrows
# `add_meeting` to those), the chair and the caller run them.
_MEETINGS = {
    "meetings.view_meeting",
    "meetings.add_meeting",
    "meetings.change_meeting",
    "meetings.view_agendaitem",
    "meetings.view_actionitem",
}

# Material requirements: who buys, plans, issues material or follows orders reads them (a
# merchandiser those of his orders: purchasing/querysets.py); purchasing and production ask for a
# new computation.
_MATERIALS_READ = {
    "purchasing.view_materialrequirement",
    "purchasing.view_requirementpeg",
    "purchasing.view_requirementrun",
}
_MATERIALS_COMPUTE = _MATERIALS_READ | {"purchasing.add_requirementrun"}
# Purchase plans: purchasing drafts, adjusts and submits; a merchandiser decides the lines
# serving his orders, management those serving none (purchasing/querysets_plans.py).
_BUY_PLAN_READ = {
    f"purchasing.view_{m}" for m in ("purchaseplan", "purchaseplanline", "planlinepeg", "planlinedecision")
}
_BUY_PLAN_MAKE = _BUY_PLAN_READ | {
    "purchasing.add_purchaseplan",
    "purchasing.change_purchaseplan",
    "purchasing.submit_purchaseplan",
}
_BUY_PLAN_DECIDE = _BUY_PLAN_READ | {"purchasing.change_planlinedecision"}
# The warehouse's work on orders (stores/): picking lists, issues and returns, finished goods in.
# The warehouse records them (and may allow issuing more than a plan needs, recorded on the
# issue); production and management read them (production asks for an issue), a merchandiser
# those of his orders (stores/querysets.py).
_STORES_READ = {"stores.view_materialissue", "stores.view_finishedgoodsin"}
_STORES_WORK = _STORES_READ | {
    "stores.add_materialissue",
    "stores.add_finishedgoodsin",
    "stores.allow_over_issue",
}
# Delivery (delivery/): the merchandiser arranges his orders' shipments, records the customer's
# confirmation and cancels; logistics ships and records the proof of delivery; the warehouse and
# management read them (delivery/querysets.py: the orders each sees).
_DELIVERY_READ = {"delivery.view_shipment", "delivery.view_proofofdelivery"}
_DELIVERY_ARRANGE = _DELIVERY_READ | {"delivery.add_shipment", "delivery.change_shipment"}
_DELIVERY_SHIP = _DELIVERY_READ | {"delivery.ship_shipment", "delivery.add_proofofdelivery"}
# Supplier scorecards: whoever sees suppliers reads them (purchasing chooses, quality judges
# by acceptance, the merchandiser approves the plan's suggested supplier, management); purchasing
# rates the service. Unit prices behind the price trend follow FIELD_GROUPS' supplier_prices.
_SUPPLIER_SCORES_READ = {"purchasing.view_servicerating"}
_SUPPLIER_SCORES_RATE = _SUPPLIER_SCORES_READ | {
    "purchasing.add_servicerating",
    "purchasing.change_servicerating",
}
# Purchase orders: purchasing makes, sends, records confirmations and changes; those who
# follow orders, plan, inspect, receive or judge read them (prices: FIELD_GROUPS "supplier_prices").
_PO_READ = {
    "purchasing.view_purchaseorder",
    "purchasing.view_purchaseorderline",
    "purchasing.view_polineconfirmation",
    "purchasing.view_polinechange",
}
_PO_BUY = _PO_READ | {
    "purchasing.add_purchaseorder",
    "purchasing.change_purchaseorder",
    "purchasing.send_purchaseorder",
    "purchasing.confirm_purchaseorder",
}
# Supplier cases: purchasing decides and records them; quality approves concessions (its
# department's manager: purchasing/querysets_cases.py); the merchandiser reads his orders' cases.
_CASES_READ = {"purchasing.view_suppliercase"}
_CASES_WORK = _CASES_READ | {"purchasing.change_suppliercase"}
_CASES_APPROVE = _CASES_READ | {"purchasing.approve_concession"}

# Receiving and incoming inspection: the warehouse receives goods against PO lines, quality
# inspects them (sampling settings, defect codes); purchasing and the merchandisers read both.
_RECEIPTS_READ = {"purchasing.view_receipt"}
_INSPECTIONS_READ = {
    "quality.view_inspection",
    "quality.view_inspectiondefect",
    "quality.view_inspectionphoto",
    "quality.view_defectcode",
    "quality.view_samplingsetting",
    # In-process and final inspection: plans, and inspections of the orders one may see.
    "quality.view_inspectionplan",
    "quality.view_inspectionplanitem",
    "quality.view_processinspection",
    "quality.view_processmeasurement",
    "quality.view_processdefect",
    "quality.view_processphoto",
    # Nonconformances and corrective actions, of the orders one may see.
    "quality.view_nonconformance",
    "quality.view_correctiveaction",
    "quality.view_actionevidence",
}
# The quality records (R-4.2: defect Pareto, yields, control charts, scrap): quality and management
# read them for every product, supplier and work centre. No model stands behind this name: the
# backend answers has_perm from this table alone.
_QUALITY_RECORDS = {"quality.view_qualityrecords"}
_RECEIVE = _RECEIPTS_READ | _INSPECTIONS_READ | {"purchasing.add_receipt"}
_INSPECT = (
    _RECEIPTS_READ
    | _INSPECTIONS_READ
    | {"quality.add_inspection", "quality.change_inspection"}
    | {"quality.add_processinspection", "quality.change_processinspection"}
    | _manage("quality.defectcode", "quality.samplingsetting")
    | _manage("quality.inspectionplan", "quality.inspectionplanitem")
    | _manage("quality.nonconformance", "quality.correctiveaction", "quality.actionevidence")
    | {"quality.verify_correctiveaction"}
)

# Escalation: anyone on the staff who works on issues reads the escalations of the issues
# he is involved in, escalates them by hand and, when he is the person told at the level,
# acknowledges them (escalations/querysets.py); management sees all and sets up the ladders and
# rules (who is told, when it climbs, what escalates).
_ESCALATE = {
    "escalations.view_escalation",
    "escalations.add_escalation",
    "escalations.acknowledge_escalation",
}
# After-sales: the order's merchandiser records complaints, answers the customer and takes
# satisfaction ratings (and makes the customer's rating links); quality investigates every
# complaint; management reads all (aftersales/querysets.py: a merchandiser his orders' ones).
_AFTERSALES_READ = {"aftersales.view_complaint", "aftersales.view_rating"}
_AFTERSALES_FOLLOW = _AFTERSALES_READ | {
    "aftersales.add_complaint",
    "aftersales.change_complaint",
    "aftersales.add_rating",
    "aftersales.view_ratinglink",
    "aftersales.add_ratinglink",
}
_AFTERSALES_INVESTIGATE = _AFTERSALES_READ | {"aftersales.investigate_complaint"}
_ESCALATION_SETUP = _ESCALATE | _manage("escalations.ladder", "escalations.ladderlevel", "escalations.rule")

# Merchandiser KPIs: a merchandiser reads his own; management reads everyone's and sets the
# targets and weights (kpi/selectors.py narrows view_kpi to his own figures).
_KPI_OWN = {"kpi.view_kpi"}
_KPI_ALL = _KPI_OWN | {"kpi.view_all_kpi", "kpi.view_kpisettings", "kpi.change_kpisettings"}
# The order archive: whoever sees an order reads its archive's list and asks for
# access to its confidential documents; those who make documents upload them; management decides
# access requests and reads the access log (archive/querysets.py: one's own requests and grants).
_ARCHIVE_READ = {
    "archive.view_document",
    "archive.view_accessrequest",
    "archive.add_accessrequest",
    "archive.view_grant",
}
_ARCHIVE_FILE = _ARCHIVE_READ | {"archive.add_document"}
_ARCHIVE_GUARD = _ARCHIVE_FILE | {"archive.approve_accessrequest", "archive.view_accesslog"}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.MERCHANDISER: _SHARED_VIEW
    | _ARCHIVE_FILE
    | _RECEIPTS_READ
    | _INSPECTIONS_READ
    | _SUPPLIER_VIEW
    | _ORDER_OWNER
    | _PLAN_READ
    | _ISSUE_WORK
    | _ESCALATE
    | _MEETINGS
    | _MATERIALS_READ
    | _BUY_PLAN_DECIDE
    | _STORES_READ
    | _SUPPLIER_SCORES_READ
    | _PO_READ
    | _CASES_READ
    | _AFTERSALES_FOLLOW
    | _KPI_OWN
    | _DELIVERY_ARRANGE
    | {"planning.approve_plan", "issues.close_issue"}
    | _manage("masterdata.customer", "masterdata.customercontact", "masterdata.deliveryaddress"),
    Role.PRODUCTION: _SHARED_VIEW
    | _ARCHIVE_FILE
    | _RECEIPTS_READ
    | _INSPECTIONS_READ
    | _ORDER_RECEIVER
    | _PLAN_MAKE
    | _ISSUE_WORK
    | _ESCALATE
    | _MEETINGS
    | _MATERIALS_COMPUTE
    | _STORES_READ
    | {"stores.request_issue"}
    | _PO_READ
    | _manage(
        "masterdata.product",
        "masterdata.material",
        "masterdata.bomline",
        "masterdata.routingoperation",
        "masterdata.workcentre",
        "masterdata.shift",
        "masterdata.calendarday",
    ),
    Role.PURCHASING: _SHARED_VIEW
    | _ARCHIVE_FILE
    | _RECEIPTS_READ
    | _INSPECTIONS_READ
    | _ORDER_RECEIVER
    | _PLAN_READ
    | _ISSUE_WORK
    | _ESCALATE
    | _MEETINGS
    | _MATERIALS_COMPUTE
    | _BUY_PLAN_MAKE
    | _SUPPLIER_SCORES_RATE
    | _PO_BUY
    | _CASES_WORK
    | _manage(
        "masterdata.material",
        "masterdata.supplier",
        "masterdata.suppliercontact",
        "masterdata.suppliermaterial",
    ),
    Role.QUALITY: _SHARED_VIEW
    | _ARCHIVE_FILE
    | _INSPECT
    | _SUPPLIER_VIEW
    | _ORDER_RECEIVER
    | _PLAN_READ
    | _ISSUE_WORK
    | _ESCALATE
    | _MEETINGS
    | _MATERIALS_READ
    | _SUPPLIER_SCORES_READ
    | _PO_READ
    | _CASES_APPROVE
    | _AFTERSALES_INVESTIGATE
    | _QUALITY_RECORDS,
    Role.WAREHOUSE: _SHARED_VIEW
    | _ARCHIVE_READ
    | _RECEIVE
    | _manage("inventory.warehouse")
    | _ISSUE_WORK
    | _ESCALATE
    | _MEETINGS
    | _MATERIALS_READ
    | _STORES_WORK
    | _PO_READ
    | _CASES_READ
    | _DELIVERY_READ
    | {"inventory.add_stockmovement", "orders.view_order"},
    Role.LOGISTICS: _SHARED_VIEW
    | _ARCHIVE_READ
    | _ISSUE_WORK
    | _ESCALATE
    | _MEETINGS
    | _DELIVERY_SHIP
    | {"orders.view_order"},
    # Management approves customer changes where a department says so, and those of its managers.
    Role.MANAGEMENT: _SHARED_VIEW
    | _ARCHIVE_GUARD
    | _RECEIPTS_READ
    | _INSPECTIONS_READ
    | _SUPPLIER_VIEW
    | _CUSTOMER_TALK
    | _PLAN_READ
    | _ISSUE_WORK
    | _ESCALATION_SETUP
    | _MEETINGS
    | _MATERIALS_READ
    | _BUY_PLAN_DECIDE
    | _STORES_READ
    | _SUPPLIER_SCORES_READ
    | _PO_READ
    | _CASES_READ
    | _QUALITY_RECORDS
    | _AFTERSALES_READ
    | {"aftersales.view_ratinglink"}
    | _KPI_ALL
    | _DELIVERY_READ
    | {
        "core.view_auditentry",
        "orders.view_order",
        "orders.approve_changerequest",
        "issues.close_issue",
        "quality.approve_nonconformance",
    },
    Role.ADMIN: set(),  # administrators have every permission (see the backend)
}


def permissions_for(role: str) -> set[str]:
    return ROLE_PERMISSIONS.get(role, set())


# Need-to-know per field (issue 14): a role that may read a record still does not see these of its
# fields unless FIELD_GROUP_ROLES names it for the group. Hidden means everywhere: list columns,
# detail rows, forms (not settable by POST or API either), exports and import sheets, the API,
# the audit history, search and sorting. Keys are models ("app.model"); names may be values worked
# out from the fields (an order line's `amount`).
FIELD_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    # What the customer pays, and what that comes to.
    "prices": {"orders.orderline": ("unit_price", "amount")},
    # What the factory pays its suppliers.
    "supplier_prices": {
        "masterdata.suppliermaterial": ("unit_price",),
        "purchasing.purchaseplanline": ("unit_price", "last_price"),
        "purchasing.purchaseorderline": ("unit_price", "amount"),
    },
    # How far the factory trusts a customer, and its tax id (invoices). The credit STATUS stays
    # visible to all: every department must see that an order on credit hold is blocked.
    "credit": {"masterdata.customer": ("credit_limit", "tax_id")},
    # Whom to call or write to at the customer. Its contact people are a model of their own, read
    # only with masterdata.view_customercontact (_CUSTOMER_TALK above).
    "customer_contacts": {
        "masterdata.customer": ("phone", "email"),
        "orders.clarification": ("contact",),
        "aftersales.complaint": ("contact_name",),
    },
    # Who takes the goods at a delivery address and his phone: logistics calls him to ship. The
    # address itself stays visible to all (production packs for it, the order copy prints it).
    # Who at the customer confirmed a shipment's time and place, the same people's business.
    "delivery_contact": {
        "masterdata.deliveryaddress": ("receiver", "phone"),
        "delivery.shipment": ("confirmed_by_name",),
    },
}

# Who sees each group; administrators see every group.
FIELD_GROUP_ROLES: dict[str, set[str]] = {
    # The merchandiser agrees prices with the customer; management judges orders' worth.
    # Production, purchasing, quality, warehouse and logistics make, buy, check, store and ship by
    # quantity and date: no price.
    "prices": {Role.MERCHANDISER, Role.MANAGEMENT},
    # Purchasing buys and compares suppliers by price; quality judges suppliers by quality.
    "supplier_prices": {Role.MERCHANDISER, Role.PURCHASING, Role.MANAGEMENT},
    # The merchandiser checks an order against the customer's credit in review.
    "credit": {Role.MERCHANDISER, Role.MANAGEMENT},
    # The merchandiser talks to the customer; management receives escalations.
    "customer_contacts": {Role.MERCHANDISER, Role.MANAGEMENT},
    # Logistics ships and delivers: it needs the receiver at the address, nothing more.
    "delivery_contact": {Role.MERCHANDISER, Role.LOGISTICS, Role.MANAGEMENT},
}


def can_see(user, group: str) -> bool:
    """May `user` see the fields of `group` (FIELD_GROUPS)?"""
    if user is None or not user.is_active or user.is_anonymous:
        return False
    if user.is_superuser or getattr(user, "role", None) == Role.ADMIN:
        return True
    return getattr(user, "role", None) in FIELD_GROUP_ROLES[group]


def hidden_fields(user, model) -> frozenset[str]:
    """The fields of `model` `user` may neither see nor set (core.fieldaccess asks this)."""
    label = model._meta.label_lower
    hidden: set[str] = set()
    for group, models in FIELD_GROUPS.items():
        if label in models and not can_see(user, group):
            hidden.update(models[label])
    return frozenset(hidden)
