"""Two managers deciding one access request at once: one decision wins, one grant at most."""

import pytest

from gendan.archive import services
from gendan.archive.models import AccessRequest, Grant
from gendan.core.exceptions import WorkflowConflict
from gendan.testing import race


@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_at_once_only_one_wins(f, order, users):
    second = f.make.user(role="management", username="manager2")
    drawing = f.upload(order)
    request = services.access_request_create(
        actor=users["production"], document_id=drawing.pk, reason="排产", days=5
    )
    managers = [users["management"], second]

    def decide(i):
        if i == 0:
            return services.access_request_approve(actor=managers[0], request_id=request.pk)
        return services.access_request_reject(actor=managers[1], request_id=request.pk, note="不行")

    results = race(2, decide)
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1
    assert sum(isinstance(r, AccessRequest) for r in results) == 1
    final = AccessRequest.objects.get()
    assert Grant.objects.count() == (1 if final.status == "approved" else 0)
