"""The menu: each role sees the groups and pages it may open, in the same order on every page."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

ORDERS = ["orders:order_list", "orders:order_create", "orders:order_import"]
ORDERS_READ = ["orders:order_list"]
MASTER_DATA = [
    "masterdata:customer_list",
    "masterdata:product_list",
    "masterdata:material_list",
    "masterdata:bomline_list",
    "masterdata:operation_list",
    "masterdata:workcentre_list",
    "masterdata:supplier_list",
]
MASTER_DATA_NO_SUPPLIERS = MASTER_DATA[:-1]
WAREHOUSE = ["inventory:stocklevel_list", "inventory:movement_list", "inventory:warehouse_list"]
STORES = ["stores:orders", "stores:finished"]  # the warehouse's work on orders, first in its group
ADMINISTRATION = [
    "accounts:user_list",
    "accounts:department_list",
    "shopfloor:board_links",
    "core:audit_list",
]
BOARD = ["shopfloor:board"]
COMPLAINTS = ["aftersales:complaint_list"]  # merchandisers, quality, management
# The order archive: everyone searches it and follows his access requests;
# management decides the requests and reads the access log.
ARCHIVE = ["archive:search", "archive:my_requests"]
ARCHIVE_GUARD = ["archive:search", "archive:requests", "archive:my_requests", "archive:log"]
PRODUCTION_PLANNER = [
    "planning:plan_list",
    "planning:plan_orders",
    "ctp:ctp",
    "shopfloor:daily",
    "ctp:gantt",
    "shopfloor:reports",
    "ctp:reschedule_list",
    "shopfloor:scrapreason_list",
]
PRODUCTION_READ = ["planning:plan_list", "ctp:gantt", "shopfloor:reports"]
# The purchasing group, in its order; each role sees the pages it may open.
REQ, PLANS, PENDING = "purchasing:requirements", "purchasing:plan_list", "purchasing:plan_pending"
POS = ["purchasing:po_list", "purchasing:po_lines"]
RECEIVE, RECEIPTS = "receiving:receive", "receiving:receipt_list"
CASES, SCORES = "purchasing:case_list", "purchasing:scorecards"
BUY_ALL = [("Purchasing", [REQ, PLANS, PENDING, *POS, RECEIVE, RECEIPTS, CASES, SCORES])]
BUY_DECIDE = [
    ("Purchasing", [REQ, PLANS, PENDING, *POS, RECEIPTS, CASES, SCORES])
]  # merchandiser, management
BUY_PRODUCTION = [("Purchasing", [REQ, *POS, RECEIPTS])]
BUY_PURCHASING = [("Purchasing", [REQ, PLANS, *POS, RECEIPTS, CASES, SCORES])]
BUY_QUALITY = [("Purchasing", [REQ, *POS, RECEIPTS, CASES, SCORES])]
BUY_WAREHOUSE = [("Purchasing", [REQ, *POS, RECEIVE, RECEIPTS, CASES])]
QUALITY_READ = [
    "quality:inspection_list",
    "quality:process_queue",
    "quality:process_list",
    "quality:nc_list",
    "quality:inspectionplan_list",
    "quality:samplingsetting_list",
    "quality:defectcode_list",
]
QUALITY = [("Quality", QUALITY_READ)]
RECORDS = "quality:records"  # the quality records: quality and management
ISSUES = [
    "issues:issues_list",
    "issues:issues_create",
    "issues:by_department",
    "issues:maintenance_list",
    "meetings:meeting_list",
]
# Those who own orders follow their orders' issues on a page of their own.
ISSUES_MINE = [*ISSUES[:3], "issues:my_orders", *ISSUES[3:]]
# Warehouse and logistics open issues but keep no maintenance records.
ISSUES_ONLY = [name for name in ISSUES if name != "issues:maintenance_list"]
# Escalation: everyone on the staff reads his escalations; management sets up the rules and ladders.
ESC = ["escalations:inbox"]
ESC_SETUP = [*ESC, "escalations:rule_list", "escalations:ladder_list"]
# Merchandiser KPIs: a merchandiser reads his own; management reads all and sets the targets.
KPI_OWN = [("Performance", ["kpi:overview"])]
KPI_ALL = [("Performance", ["kpi:overview", "kpi:settings"])]

# Shipments: the merchandiser arranges, logistics ships, the warehouse and management read.
DELIVERY = [("Shipping and delivery", ["delivery:list"])]

EXPECTED = {
    "admin": [
        ("Orders", [*ORDERS, "ctp:ctp", *BOARD, *COMPLAINTS, *ARCHIVE_GUARD]),
        ("Production", [name for name in PRODUCTION_PLANNER if name != "ctp:ctp"]),  # shown once
        ("Issues", ISSUES_MINE + ESC_SETUP),
        *BUY_ALL,
        ("Quality", ["quality:queue", *QUALITY_READ, RECORDS]),
        ("Master data", MASTER_DATA),
        ("Warehouse", STORES + WAREHOUSE),
        *DELIVERY,
        *KPI_ALL,
        ("Administration", ADMINISTRATION),
    ],
    "merchandiser": [
        ("Orders", [*ORDERS, "ctp:ctp", *BOARD, *COMPLAINTS, *ARCHIVE]),
        ("Production", PRODUCTION_READ),
        ("Issues", ISSUES_MINE + ESC),
        *BUY_DECIDE,
        *QUALITY,
        ("Master data", MASTER_DATA),
        ("Warehouse", STORES + WAREHOUSE),
        *DELIVERY,
        *KPI_OWN,
    ],
    "production": [
        ("Orders", ORDERS_READ + BOARD + ARCHIVE),
        ("Production", PRODUCTION_PLANNER),
        ("Issues", ISSUES + ESC),
        *BUY_PRODUCTION,
        *QUALITY,
        ("Master data", MASTER_DATA_NO_SUPPLIERS),
        ("Warehouse", STORES + WAREHOUSE),
    ],
    "purchasing": [
        ("Orders", ORDERS_READ + BOARD + ARCHIVE),
        ("Production", PRODUCTION_READ),
        ("Issues", ISSUES + ESC),
        *BUY_PURCHASING,
        *QUALITY,
        ("Master data", MASTER_DATA),
        ("Warehouse", WAREHOUSE),
    ],
    "quality": [
        ("Orders", ORDERS_READ + BOARD + COMPLAINTS + ARCHIVE),
        ("Production", PRODUCTION_READ),
        ("Issues", ISSUES + ESC),
        *BUY_QUALITY,
        ("Quality", ["quality:queue", *QUALITY_READ, RECORDS]),
        ("Master data", MASTER_DATA),
        ("Warehouse", WAREHOUSE),
    ],
    "warehouse": [
        ("Orders", ORDERS_READ + BOARD + ARCHIVE),
        ("Issues", ISSUES_ONLY + ESC),
        *BUY_WAREHOUSE,
        *QUALITY,
        ("Master data", MASTER_DATA_NO_SUPPLIERS),
        ("Warehouse", STORES + WAREHOUSE),
        *DELIVERY,
    ],
    "logistics": [
        ("Orders", ORDERS_READ + BOARD + ARCHIVE),
        ("Issues", ISSUES_ONLY + ESC),
        ("Master data", MASTER_DATA_NO_SUPPLIERS),
        ("Warehouse", WAREHOUSE),
        *DELIVERY,
    ],
    "management": [
        ("Orders", ORDERS_READ + BOARD + COMPLAINTS + ARCHIVE_GUARD),
        ("Production", PRODUCTION_READ),
        ("Issues", ISSUES + ESC_SETUP),
        *BUY_DECIDE,
        ("Quality", [*QUALITY_READ, RECORDS]),
        ("Master data", MASTER_DATA),
        ("Warehouse", STORES + WAREHOUSE),
        *DELIVERY,
        *KPI_ALL,
        ("Administration", ["core:audit_list"]),
    ],
}


def _menu(client) -> list[tuple[str, list[str]]]:
    response = client.get("/")
    assert response.status_code == 200
    with translation.override("en"):
        return [
            (str(group["title"]), [item["url"] for item in group["items"]])
            for group in response.context["nav"]
        ]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_menu(role, client_for):
    assert _menu(client_for(role)) == [
        (title, [reverse(name) for name in names]) for title, names in EXPECTED[role]
    ]


def test_the_current_page_is_marked_and_the_menu_speaks_chinese(client_admin, zh_terms):
    zh = zh_terms({"Supplier scorecards": "供应商评分"})
    response = client_admin.get(reverse("masterdata:product_list"))
    nav = response.context["nav"]
    assert '<span class="navhead">订单</span>' in response.content.decode()
    # The same Chinese words as when core held the whole menu.
    with translation.override("zh-hans"):
        groups = [str(group["title"]) for group in nav]
        titles = [str(item["title"]) for group in nav for item in group["items"]]
        # Receiving's and quality's entries are translated when the catalogues are merged.
        newer = {
            reverse(name)
            for name in [
                "receiving:receive",
                "receiving:receipt_list",
                "quality:queue",
                *QUALITY_READ,
                RECORDS,
            ]
        }
        groups = [
            str(group["title"]) for group in nav if group["items"][0]["url"] != reverse("quality:queue")
        ]
        titles = [str(item["title"]) for group in nav for item in group["items"] if item["url"] not in newer]
    assert groups == ["订单", "生产", "异常", "采购", "主数据", "仓库", "发货与交付", "绩效", "管理"]
    assert titles == [
        *["订单", "新建订单", "导入订单", "能否交货？", "生产进度看板", "客户投诉"],
        *["档案检索", "查阅申请", "我的查阅申请", "档案查阅记录"],
        # "Can we deliver?" is in both groups (merchandisers, planners): shown once, under orders.
        *["生产计划", "订单排产", "生产日报录入", "生效排程", "生产日报列表"],
        *["全部在制订单重排", "报废原因"],
        *[
            "异常",
            "登记异常",
            "按部门查看异常",
            "我的订单上的异常",
            "设备维护",
            "协调会",
            "升级",
            "升级规则",
            "升级路径",
        ],
        # One purchasing group, in its order (receiving's entries are left out above).
        *["物料需求", "采购计划", "待我审批的采购行"],
        *["采购订单", "未结采购订单行", "供应商处理单", zh["Supplier scorecards"]],
        *["客户", "产品", "物料", "物料清单（BOM）", "工艺路线", "工作中心", "供应商"],
        # The warehouse's work on orders, then inventory's pages.
        *["生产发料", "成品入库"],
        *["现有库存", "库存变动", "仓库列表"],
        "发货单",
        *["跟单员绩效", "绩效设置"],
        *["用户", "部门", "车间大屏", "审计日志"],
    ]
    active = [item["url"] for group in nav for item in group["items"] if item["active"]]
    assert active == [reverse("masterdata:product_list")]


def test_no_menu_for_visitors(client):
    response = client.get(reverse("accounts:login"))
    assert not response.context.get("nav")
