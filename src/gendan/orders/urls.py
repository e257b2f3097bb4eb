from django.urls import path

from . import actions
from .views import orders

app_name = "orders"
_o = "order/<int:pk>/"
urlpatterns = [
    *orders.urls(),
    path(_o + "submit/", actions.submit, name="submit"),
    path(_o + "rerun/", actions.rerun, name="rerun"),
    path(_o + "reviewed/", actions.mark_reviewed, name="mark_reviewed"),
    path(_o + "release/", actions.release, name="release"),
    path(_o + "draft/", actions.back_to_draft, name="back_to_draft"),
    path(_o + "advance/", actions.advance, name="advance"),
    path(_o + "hold/", actions.hold, name="hold"),
    path(_o + "resume/", actions.resume, name="resume"),
    path(_o + "cancel/", actions.cancel, name="cancel"),
    path(_o + "findings/<int:finding_id>/resolve/", actions.resolve_finding, name="resolve_finding"),
    path(_o + "clarifications/", actions.ask, name="ask"),
    path(_o + "clarifications/<int:clarification_id>/answer/", actions.answer, name="answer"),
    path(_o + "acknowledgements/<int:ack_id>/", actions.acknowledge, name="acknowledge"),
    path(_o + "changes/", actions.request_change, name="request_change"),
    path(_o + "changes/<int:change_id>/approve/", actions.approve_change, name="approve_change"),
    path(_o + "changes/<int:change_id>/reject/", actions.reject_change, name="reject_change"),
    path(_o + "attachments/", actions.attach, name="attach"),
    path(_o + "attachments/<int:attachment_id>/", actions.download, name="download"),
    path(_o + "copy.pdf", actions.order_copy, name="order_copy"),
]
