"""Home page "needs your attention" for the archive: management — the access requests waiting for
a decision; a requester — his requests decided since he last looked."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.core.attention import AttentionItem
from gendan.core.permissions import is_active_user

from .choices import RequestStatus
from .models import AccessRequest

EXAMPLES = 5


def archive_attention(user) -> list[AttentionItem]:
    if not is_active_user(user):
        return []
    items = []
    if user.has_perm("archive.approve_accessrequest"):
        waiting = AccessRequest.objects.restrict(user, "approve").filter(status=RequestStatus.PENDING)
        count = waiting.count()
        if count:
            url = reverse("archive:requests")
            examples = [
                (f"{r.requester} · {r.document.title} · {r.days}d", url)
                for r in waiting.select_related("requester", "document").order_by("requested_at")[:EXAMPLES]
            ]
            items.append(AttentionItem(_("Access requests waiting for your decision"), count, url, examples))
    decided = AccessRequest.objects.filter(requester=user, decided_at__isnull=False, seen_at__isnull=True)
    count = decided.count()
    if count:
        url = reverse("archive:my_requests")
        examples = [
            (f"{r.document.title} · {r.get_status_display()}", url)
            for r in decided.select_related("document").order_by("-decided_at")[:EXAMPLES]
        ]
        items.append(
            AttentionItem(_("Your access requests were decided"), count, url, examples, level="info")
        )
    return items
