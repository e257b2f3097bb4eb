"""The demo factory: departments, one account per role, and believable master data.

Idempotent: every record is found by its code (or user name) first, so running it twice changes
nothing. Demo accounts exist only in the demo database (`gendan demo` refuses to run elsewhere)."""

from django.db import transaction

from gendan.accounts.choices import DepartmentKind, Role
from gendan.accounts.models import Department, User

from .audit import audit_source

DEMO_PASSWORD = "demo"

DEPARTMENTS = [
    ("MER", "跟单部", "Merchandising", DepartmentKind.MERCHANDISING),
    ("PRD", "生产部", "Production", DepartmentKind.PRODUCTION),
    ("PUR", "采购部", "Purchasing", DepartmentKind.PURCHASING),
    ("QC", "质检部", "Quality", DepartmentKind.QUALITY),
    ("WH", "仓库", "Warehouse", DepartmentKind.WAREHOUSE),
    ("LOG", "物流部", "Logistics", DepartmentKind.LOGISTICS),
    ("MGT", "总经办", "Management", DepartmentKind.MANAGEMENT),
]

# user name, display name, role, department code, manages the department
DEMO_USERS = [
    ("admin", "系统管理员", Role.ADMIN, "MGT", False),
    ("merchandiser", "王丽 (跟单)", Role.MERCHANDISER, "MER", True),
    ("merchandiser2", "陈军 (跟单)", Role.MERCHANDISER, "MER", False),
    ("planner", "李强 (生产计划)", Role.PRODUCTION, "PRD", True),
    ("purchaser", "赵敏 (采购)", Role.PURCHASING, "PUR", True),
    ("inspector", "孙涛 (质检)", Role.QUALITY, "QC", True),
    ("warehouse", "周平 (仓库)", Role.WAREHOUSE, "WH", True),
    ("logistics", "吴刚 (物流)", Role.LOGISTICS, "LOG", True),
    ("manager", "郑总 (总经理)", Role.MANAGEMENT, "MGT", True),
]


def build_people() -> dict[str, User]:
    departments = {}
    for code, name, name_en, kind in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "kind": kind}
        )
    users = {}
    for username, display, role, dept, manages in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display, role=role, department=departments[dept])
            user.email = f"{username}@demo.gendan.local"
            user.is_superuser = role == Role.ADMIN
            user.is_staff = role == Role.ADMIN
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
        if manages and departments[dept].manager_id is None:
            Department.objects.filter(pk=departments[dept].pk).update(manager=user)
    return users


def build_demo_factory() -> str:
    from gendan.masterdata.demo import build_masterdata
    from gendan.orders.demo import build_orders

    with audit_source("command"), transaction.atomic():
        users = build_people()
        counts = build_masterdata(users=users)
        counts |= build_orders(users=users)
    return "  " + ", ".join(f"{name}: {n}" for name, n in counts.items())
