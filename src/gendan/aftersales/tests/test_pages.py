"""The complaint pages (R-5.3): the list with filters and its Excel export, recording one, the
complaint's page with the buttons of its status for the role, photos served as downloads, the
reply PDF in Chinese; another merchandiser's complaint is a 404, other roles 403."""

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gendan.aftersales.models import Complaint, ComplaintPhoto
from gendan.testing.helpers import logged_in_client, read_sheet

pytestmark = pytest.mark.django_db


def _png(name="photo.png") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, "PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


def _detail(pk):
    return reverse("aftersales:complaint_detail", args=[pk])


def test_the_merchandiser_records_a_complaint_on_the_page(f, client_merchandiser):
    order = f.order()
    line = order.lines.first()
    response = client_merchandiser.post(
        reverse("aftersales:complaint_create"),
        {
            "order": order.pk,
            "order_line": line.pk,
            "quantity": "3",
            "description": "包装破损",
            "channel": "email",
            "contact_name": "李工",
            "received_on": timezone.localdate().isoformat(),
            "severity": "high",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(complaint.pk)
    assert (complaint.order, complaint.order_line, complaint.channel) == (order, line, "email")


def test_the_form_does_not_offer_or_take_another_merchandisers_order(
    f, client_merchandiser, other_merchandiser
):
    order = f.order(merchandiser=other_merchandiser)
    page = client_merchandiser.get(reverse("aftersales:complaint_create")).content.decode()
    assert order.number not in page
    response = client_merchandiser.post(
        reverse("aftersales:complaint_create"),
        {
            "order": order.pk,
            "quantity": "1",
            "description": "x",
            "channel": "phone",
            "received_on": "2026-01-01",
        },
    )
    assert response.status_code == 200 and "order" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_bad_input_on_the_form_is_shown_on_the_field(f, client_merchandiser):
    order = f.order()
    response = client_merchandiser.post(
        reverse("aftersales:complaint_create"),
        {"order": order.pk, "quantity": "-1", "description": "", "channel": "fax", "received_on": "x"},
    )
    errors = response.context["form"].errors
    assert {"description", "channel", "received_on"} <= set(errors)
    assert not Complaint.objects.exists()


def test_another_merchandisers_complaint_is_a_404(f, other_merchandiser):
    complaint = f.complaint()
    client = logged_in_client(other_merchandiser)
    assert client.get(_detail(complaint.pk)).status_code == 404
    assert client.get(reverse("aftersales:complaint_pdf", args=[complaint.pk])).status_code == 404
    assert client.post(reverse("aftersales:close", args=[complaint.pk])).status_code == 404
    assert complaint.number not in client.get(reverse("aftersales:complaint_list")).content.decode()


def test_roles_without_after_sales_are_refused(f, client_for):
    complaint = f.complaint()
    for role in ("production", "warehouse", "purchasing", "logistics"):
        assert client_for(role).get(reverse("aftersales:complaint_list")).status_code == 403
        assert client_for(role).get(_detail(complaint.pk)).status_code in (403, 404)


def test_buttons_follow_status_and_role(f, client_for):
    complaint = f.complaint()
    take = reverse("aftersales:take", args=[complaint.pk])
    assert take in client_for("quality").get(_detail(complaint.pk)).content.decode()
    assert take not in client_for("merchandiser").get(_detail(complaint.pk)).content.decode()
    # A merchandiser's POST to quality's step is refused and changes nothing.
    assert client_for("merchandiser").post(take).status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "received"
    assert client_for("quality").post(take).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "investigating" and complaint.issue is not None


def test_a_get_changes_nothing(f, client_for):
    complaint = f.complaint()
    assert client_for("quality").get(reverse("aftersales:take", args=[complaint.pk])).status_code == 405
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_quality_records_the_findings_and_the_merchandiser_answers(f, client_for, users):
    complaint = f.investigating()
    response = client_for("quality").post(
        reverse("aftersales:findings", args=[complaint.pk]),
        {"root_cause": "模具磨损", "corrective_action": "更换模具", "action_owner": users["quality"].pk},
        follow=True,
    )
    assert "调查结果已记录" in response.content.decode()
    page = client_for("merchandiser").get(_detail(complaint.pk)).content.decode()
    assert reverse("aftersales:answer", args=[complaint.pk]) in page
    client_for("merchandiser").post(reverse("aftersales:answer", args=[complaint.pk]), {"reply": "已补发"})
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.reply == "已补发"


def test_findings_without_root_cause_are_refused_with_a_message(f, client_for):
    complaint = f.investigating()
    response = client_for("quality").post(
        reverse("aftersales:findings", args=[complaint.pk]), {"corrective_action": "更换模具"}, follow=True
    )
    assert "root_cause" in response.content.decode() or "此字段" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.investigated_at is None


def test_photos_are_kept_and_served_as_downloads(f, client_merchandiser, client_quality):
    complaint = f.complaint()
    client_merchandiser.post(reverse("aftersales:photo_add", args=[complaint.pk]), {"photo": _png()})
    photo = ComplaintPhoto.objects.get()
    assert "photo" not in photo.file.name.rsplit("/", 1)[-1]  # a generated name
    response = client_quality.get(reverse("aftersales:photo", args=[complaint.pk, photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert "attachment" in response["Content-Disposition"]


def test_a_file_that_is_not_an_image_is_refused(f, client_merchandiser):
    complaint = f.complaint()
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client_merchandiser.post(
        reverse("aftersales:photo_add", args=[complaint.pk]), {"photo": fake}, follow=True
    )
    assert "不是图片" in response.content.decode() or "not an image" in response.content.decode()
    assert not ComplaintPhoto.objects.exists()


def test_quality_may_not_add_photos(f, client_quality):
    complaint = f.complaint()
    response = client_quality.post(reverse("aftersales:photo_add", args=[complaint.pk]), {"photo": _png()})
    assert response.status_code == 403
    assert not ComplaintPhoto.objects.exists()


def test_the_customer_contact_is_shown_only_to_those_who_talk_to_the_customer(f, client_for):
    complaint = f.complaint(contact_name="王经理")
    assert "王经理" in client_for("merchandiser").get(_detail(complaint.pk)).content.decode()
    assert "王经理" in client_for("management").get(_detail(complaint.pk)).content.decode()
    assert "王经理" not in client_for("quality").get(_detail(complaint.pk)).content.decode()


def test_the_list_filters_and_exports(f, client_merchandiser):
    first = f.complaint()
    second = f.investigating()
    listed = client_merchandiser.get(reverse("aftersales:complaint_list"), {"status": "investigating"})
    text = listed.content.decode()
    assert second.number in text and first.number not in text
    export = client_merchandiser.get(reverse("aftersales:complaint_export"), {"status": "received"})
    rows = read_sheet(
        export.getvalue() if hasattr(export, "getvalue") else b"".join(export.streaming_content)
    )
    flat = [cell for row in rows for cell in row]
    assert first.number in flat and second.number not in flat


def test_bad_filters_do_not_fail(f, client_merchandiser):
    f.complaint()
    for params in ({"status": "nope"}, {"received_from": "yesterday"}, {"order": "abc"}, {"sort": "nope"}):
        assert client_merchandiser.get(reverse("aftersales:complaint_list"), params).status_code in (200, 400)
    assert client_merchandiser.get(_detail(999999)).status_code == 404


def test_the_reply_pdf_is_in_chinese(f, client_merchandiser, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    complaint = f.answered()
    response = client_merchandiser.get(reverse("aftersales:complaint_pdf", args=[complaint.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "reply.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()
    flat = "".join(text.split())
    for words in (
        "客户投诉答复函",
        complaint.number,
        "根本原因",
        "包装无隔层",
        "增加珍珠棉隔层",
        "已补发5件",
    ):
        assert words in flat, words
    english = client_merchandiser.get(
        reverse("aftersales:complaint_pdf", args=[complaint.pk]), {"lang": "en"}
    )
    path.write_bytes(english.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()
    assert "Reply to a customer complaint" in text and "Root cause" in text


def test_the_order_page_links_to_complaints_and_satisfaction(f, client_merchandiser):
    complaint = f.complaint()
    page = client_merchandiser.get(reverse("orders:order_detail", args=[complaint.order_id])).content.decode()
    assert reverse("aftersales:order", args=[complaint.order_id]) in page
    order_page = client_merchandiser.get(
        reverse("aftersales:order", args=[complaint.order_id])
    ).content.decode()
    assert complaint.number in order_page


def test_the_merchandiser_rates_the_order_on_its_page(f, client_merchandiser, client_quality):
    order = f.order()
    client_merchandiser.post(
        reverse("aftersales:order_rate", args=[order.pk]), {"score": "5", "comment": "满意"}
    )
    assert order.ratings.get().score == 5
    assert (
        client_quality.post(reverse("aftersales:order_rate", args=[order.pk]), {"score": "1"}).status_code
        == 403
    )
    assert order.ratings.count() == 1


def test_attention_items(f, users):
    from gendan.core.attention import attention_for

    f.complaint()
    titles = [str(i.title) for i in attention_for(users["quality"])]
    assert any("待调查" in t or "to investigate" in t for t in titles)
    f.investigated()
    titles = [str(i.title) for i in attention_for(users["merchandiser"])]
    assert any("待答复" in t or "to answer" in t for t in titles)


def test_the_findings_form_comes_back_with_its_due_date_for_the_date_picker(f, users):
    """A date picker reads only ISO dates: shown in the Chinese format, the due date would be blank
    and saving the findings again would lose it."""
    complaint = f.investigated()
    client = logged_in_client(users["quality"])
    client.cookies["django_language"] = "zh-hans"
    page = client.get(_detail(complaint.pk)).content.decode()
    assert f'name="action_due" value="{complaint.action_due.isoformat()}"' in page
