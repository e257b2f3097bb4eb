"""The demo (step 95): the demo orders' documents filed, a confidential drawing in two versions with
a grant still valid, a rejected request and an expired grant, and the log of who opened it;
building again adds nothing."""

from django.utils import timezone

from gendan.archive.choices import RequestStatus
from gendan.archive.demo import DRAWING_TITLE, build_archive
from gendan.archive.models import AccessLog, AccessRequest, Document, Grant
from gendan.archive.services import GrantExpired, document_open


def check_the_demo_archive_has_a_confidential_drawing_with_granted_refused_and_expired_access(demo):
    from gendan.accounts.models import User

    users = {u.username: u for u in User.objects.all()}
    assert Document.objects.exclude(source_ref="").filter(kind="order_copy").exists()
    drawings = Document.objects.filter(title=DRAWING_TITLE).order_by("version")
    assert [d.version for d in drawings] == [1, 2] and all(d.is_restricted for d in drawings)
    drawing = drawings.last()
    now = timezone.now()
    live = Grant.objects.get(user=users["planner"], document=drawing)
    assert live.expires_at > now
    assert AccessRequest.objects.get(requester=users["purchaser"]).status == RequestStatus.REJECTED
    expired = Grant.objects.get(user=users["inspector"], document=drawing)
    assert expired.expires_at < now
    try:
        document_open(actor=users["inspector"], document_id=drawing.pk)
    except GrantExpired:
        pass
    else:
        raise AssertionError("an expired grant still opens the drawing")
    assert set(AccessLog.objects.values_list("user__username", flat=True)) >= {
        "planner",
        "inspector",
        "manager",
    }
    counts = (Document.objects.count(), AccessRequest.objects.count(), AccessLog.objects.count())
    build_archive(users=users)
    assert (Document.objects.count(), AccessRequest.objects.count(), AccessLog.objects.count()) == counts


def check_the_demo_files_the_systems_documents_and_renders_them_on_demand(demo):
    from gendan.accounts.models import User
    from gendan.archive.services import open_content

    manager = User.objects.get(username="manager")
    kinds = set(Document.objects.exclude(source_ref="").values_list("kind", flat=True))
    assert {"order_copy", "traveller", "purchase_order", "meeting_minutes"} <= kinds, kinds
    kinds_to_open = ["order_copy", "traveller", "purchase_order", "meeting_minutes"]
    if "inspection_report" in kinds:  # the demo's final inspections, where any is decided
        kinds_to_open.append("inspection_report")
    for kind in kinds_to_open:
        doc = Document.objects.filter(kind=kind).order_by("pk").first()
        opened = open_content(doc, user=manager, lang="zh-hans")
        assert opened is not None and opened.read().startswith(b"%PDF"), kind
