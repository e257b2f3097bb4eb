"""The job traveller: a PDF in Chinese and in English with one QR code per operation, each opening
that operation's report form; printing it is on the order's timeline."""

import re
import shutil
import subprocess

import pytest

from gendan.core.models import AuditEntry
from gendan.shopfloor.tokens import operation_from_token
from gendan.shopfloor.traveller import traveller_pdf, traveller_rows

pytestmark = pytest.mark.django_db


def _text(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "traveller.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return re.sub(r"\s+", "", out.stdout.decode())


@pytest.mark.parametrize("lang, word", [("zh-hans", "工序流转卡"), ("en", "Job traveller")])
def test_the_traveller_prints_in_both_languages(shop, client_production, lang, word):
    p = shop.planned_order(sub_assembly="200")
    response = client_production.post(
        f"/shopfloor/orders/{p.order.pk}/traveller/", {"lang": "en" if lang == "en" else ""}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(scope=p.order.scope, action="traveller_printed").count() == 1


def test_the_traveller_lists_sub_assemblies_first_then_the_job(shop):
    p = shop.planned_order(sub_assembly="200")
    rows = traveller_rows(p.version)
    assert [r["operation"] for r in rows] == [*p.sub_ops, *p.ops]


def test_each_operation_has_a_code_that_opens_its_form(shop, monkeypatch):
    p = shop.planned_order()
    made = []

    def url_for(token):
        made.append(operation_from_token(token))
        return f"https://gendan.example/s/{token}"

    data = traveller_pdf(p.order, url_for=url_for)
    assert data.startswith(b"%PDF")
    assert made == [op.pk for op in p.ops]


def test_the_traveller_is_not_printed_on_get_or_for_others(shop, client_production, client_warehouse):
    p = shop.planned_order()
    assert client_production.get(f"/shopfloor/orders/{p.order.pk}/traveller/").status_code == 405
    assert client_warehouse.post(f"/shopfloor/orders/{p.order.pk}/traveller/").status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="traveller_printed").exists()
