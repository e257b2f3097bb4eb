"""The demo's people: departments and one account per role (see core.demo)."""

from gendan.core.demo import DEMO_PASSWORD, DemoPart

from .choices import DepartmentKind, Role
from .models import Department, User

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


def build_people(**_earlier) -> DemoPart:
    """The first part of the demo: it hands the accounts on to the others as `users` (by user name)."""
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
    return DemoPart(logins=list(users), provides={"users": users})
