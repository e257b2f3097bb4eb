"""The demo is built from the parts the apps register: people first, then master data, the
warehouse's stock of it, then orders, their plans, the shop floor's reports on them and the issues."""

import pytest
from django.core.management import call_command

from gendan.core import demo
from gendan.core.demo import DemoPart, build_demo_factory


def test_the_apps_register_people_then_master_data_then_stock_then_orders_then_plans_and_the_shop_floor_then_purchasing_quality_and_stores():
    builders = [builder for _step, builder in sorted(demo._BUILDERS.items())]
    assert [f"{b.__module__}.{b.__name__}" for b in builders] == [
        "gendan.accounts.demo.build_people",
        "gendan.masterdata.demo.build_masterdata",
        "gendan.inventory.demo.build_inventory",
        "gendan.orders.demo.build_orders",
        "gendan.planning.demo.build_planning",
        "gendan.shopfloor.demo.build_shopfloor",
        "gendan.issues.demo.build_issues",
        "gendan.purchasing.demo.build_purchasing",
        "gendan.purchasing.demo_plans.build_purchase_plans",
        "gendan.purchasing.demo_po.build_purchase_orders",
        "gendan.purchasing.demo_tracking.build_tracking",
        "gendan.quality.demo.build_quality",
        "gendan.purchasing.demo_cases.build_cases",
        "gendan.purchasing.demo_scores.build_score_history",
        "gendan.stores.demo.build_stores",
        "gendan.quality.demo_process.build_process_inspections",
        "gendan.escalations.demo.build_escalations",
        "gendan.meetings.demo.build_meetings",
        "gendan.aftersales.demo.build_aftersales",
        "gendan.delivery.demo.build_delivery",
        "gendan.kpi.demo.build_kpi",
        "gendan.archive.demo.build_archive",
        "gendan.risk.demo.build_risk",
    ]


@pytest.fixture
def parts(monkeypatch):
    calls = []

    def people(**earlier):
        calls.append(("people", earlier))
        return DemoPart(logins=["boss", "clerk"], provides={"users": {"boss": 1, "clerk": 2}})

    def things(*, users, **earlier):
        calls.append(("things", {"users": users, **earlier}))
        return DemoPart(counts={"things": 3}, provides={"things": ["t"]})

    def more(*, users, things, **earlier):
        calls.append(("more", {"users": users, "things": things, **earlier}))
        return DemoPart(counts={"more": 1})

    monkeypatch.setattr(demo, "_BUILDERS", {})
    demo.register_demo(30, more)
    demo.register_demo(10, people)
    demo.register_demo(20, things)
    return calls


@pytest.mark.django_db
def test_each_part_gets_what_the_earlier_ones_handed_on(parts):
    factory = build_demo_factory()
    assert parts == [
        ("people", {}),
        ("things", {"users": {"boss": 1, "clerk": 2}}),
        ("more", {"users": {"boss": 1, "clerk": 2}, "things": ["t"]}),
    ]
    assert factory.logins == ["boss", "clerk"]
    assert factory.summary() == "  things: 3, more: 1"


@pytest.mark.django_db
def test_the_demo_command_prints_what_it_built_and_serves_with_its_logins(
    parts, monkeypatch, capsys, settings, tmp_path
):
    from gendan.core.management.commands.demo import Command

    settings.DATA_DIR = tmp_path / "data"
    settings.STATIC_ROOT = tmp_path / "static"
    monkeypatch.setenv("GENDAN_DEMO", "1")
    served = []
    monkeypatch.setattr(Command, "serve", lambda self, host, port, logins: served.append(logins))
    call_command("demo", "--no-serve")
    assert "things: 3, more: 1" in capsys.readouterr().out
    assert served == []
    call_command("demo")
    assert served == [["boss", "clerk"]]


def test_two_parts_at_one_step_are_refused_so_neither_silently_leaves_the_demo(parts):
    def other(**earlier):
        return DemoPart()

    with pytest.raises(ValueError, match="step 20 is taken"):
        demo.register_demo(20, other)
    assert [step for step in sorted(demo._BUILDERS)] == [10, 20, 30]
