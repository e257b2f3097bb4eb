"""The home page: each role's own master-data gaps, in the user's language (Chinese by default)."""

import pytest

from gendan.accounts.models import User
from gendan.masterdata.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaps(make):
    """One product with neither routing nor BOM, one complete product, a material without supplier,
    a work centre without shifts."""
    complete = make.product(code="P-OK")
    wc = make.work_centre(code="WC-OK")
    make.shift(work_centre=wc)
    make.operation(product=complete, work_centre=wc)
    make.bom_line(parent=complete, material=make.material(code="M-OK"))
    make.supplier_material(material=make.material(code="M-OK2"))
    # the gaps
    make.product(code="P-BARE")
    make.material(code="M-NOSUP")
    make.work_centre(code="WC-NOSHIFT")
    return make


def attention(client):
    response = client.get("/")
    assert response.status_code == 200
    return {str(item.title): item for item in response.context["attention"]}, response.content.decode()


def test_production_planner_sees_products_without_routing_or_bom_and_centres_without_shifts(
    client_production, gaps
):
    items, html = attention(client_production)
    by_url = {item.url: item for item in items.values()}
    assert set(by_url) == {
        "/masterdata/product/?problem=no_routing",
        "/masterdata/product/?problem=no_bom",
        "/masterdata/workcentre/?problem=no_calendar",
    }
    routing = by_url["/masterdata/product/?problem=no_routing"]
    assert routing.count == 1
    assert [text for text, _url in routing.examples] == [str(Product.objects.get(code="P-BARE"))]
    assert by_url["/masterdata/product/?problem=no_bom"].count == 1
    assert by_url["/masterdata/workcentre/?problem=no_calendar"].count == 1
    assert "P-BARE" in html and "WC-NOSHIFT" in html
    assert "M-NOSUP" not in html


def test_purchaser_sees_materials_without_supplier_only(client_purchasing, gaps):
    items, html = attention(client_purchasing)
    assert [item.url for item in items.values()] == ["/masterdata/material/?problem=no_supplier"]
    (item,) = items.values()
    # M-OK is used in a BOM but has no supplier either; M-OK2 has one.
    assert item.count == 2
    assert "M-NOSUP" in html and "M-OK2" not in html
    assert "P-BARE" not in html


@pytest.mark.parametrize("role", ["logistics", "merchandiser", "quality", "warehouse", "management"])
def test_other_roles_see_none_of_these(client_for, gaps, role):
    items, html = attention(client_for(role))
    assert items == {}
    assert "P-BARE" not in html and "M-NOSUP" not in html


def test_the_home_page_link_opens_the_same_records(client_production, gaps):
    items, _html = attention(client_production)
    for item in items.values():
        response = client_production.get(item.url)
        assert response.status_code == 200
        assert len(response.context["rows"]) == item.count


def test_archived_gaps_are_not_listed(client_production, users, make):
    from gendan.core.services import record_set_archived

    bare = make.product(code="OLD")
    record_set_archived(actor=users["production"], model=Product, pk=bare.pk, archived=True)
    items, html = attention(client_production)
    assert "OLD" not in html


def test_home_page_is_chinese_by_default_and_follows_the_users_switch(client_for, users, zh_terms):
    zh = zh_terms({"Needs your attention": "需要您处理"})
    client = client_for("merchandiser")
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert zh["Needs your attention"] in html and "Needs your attention" not in html
    response = client.post("/accounts/language/", {"language": "en", "next": "/masterdata/customer/"})
    assert response.status_code == 302 and response["Location"] == "/masterdata/customer/"
    assert User.objects.get(pk=users["merchandiser"].pk).language == "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "Needs your attention" in html
    # The choice follows the user to another device (a fresh session).
    from django.test import Client

    other = Client()
    other.force_login(User.objects.get(pk=users["merchandiser"].pk))
    assert '<html lang="en">' in other.get("/").content.decode()
    # Other users keep their own language.
    assert '<html lang="zh-hans">' in client_for("production").get("/").content.decode()
    client.post("/accounts/language/", {"language": "zh-hans"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(client_merchandiser, users):
    response = client_merchandiser.post(
        "/accounts/language/", {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert User.objects.get(pk=users["merchandiser"].pk).language == "zh-hans"
    assert client_merchandiser.get("/accounts/language/").status_code == 405


def test_language_switch_is_not_audited(client_merchandiser):
    from gendan.core.models import AuditEntry

    client_merchandiser.post("/accounts/language/", {"language": "en"})
    assert AuditEntry.objects.count() == 0


def test_login_page_renders_in_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
