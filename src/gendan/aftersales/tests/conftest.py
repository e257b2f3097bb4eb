"""After-sales test data: a released order of the merchandiser (one line of 100), and complaints
taken through their steps by the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.aftersales import services
from gendan.issues.tests.factories import IssueFactory


class ComplaintFactory(IssueFactory):
    def complaint(self, order=None, *, actor=None, **kw):
        order = order or self.order()
        data = {
            "order_line": order.lines.first(),
            "quantity": Decimal(5),
            "description": "外观划伤\n客户来料检验发现 5 件划伤",
            "channel": "phone",
            "contact_name": "王经理",
            "received_on": timezone.localdate() - dt.timedelta(days=1),
            "severity": "medium",
            **kw,
        }
        return services.complaint_create(actor=actor or self.users["merchandiser"], order=order, **data)

    def investigating(self, **kw):
        complaint = self.complaint(**kw)
        return services.complaint_take(actor=self.users["quality"], complaint_id=complaint.pk)

    def investigated(self, **kw):
        complaint = self.investigating(**kw)
        return services.complaint_investigate(
            actor=self.users["quality"],
            complaint_id=complaint.pk,
            root_cause="包装无隔层，运输中摩擦",
            containment="库存全检",
            corrective_action="增加珍珠棉隔层",
            action_owner=self.users["quality"],
            action_due=timezone.localdate() + dt.timedelta(days=7),
        )

    def answered(self, **kw):
        complaint = self.investigated(**kw)
        return services.complaint_answer(
            actor=self.users["merchandiser"], complaint_id=complaint.pk, reply="已补发 5 件"
        )


@pytest.fixture
def f(make, users, departments):
    return ComplaintFactory(make, users, departments)


@pytest.fixture
def other_merchandiser(make):
    return make.user(role="merchandiser", username="merch2")
