"""Pages of "can we deliver?", the Gantt of the schedule in force and the reschedule of all open
orders (R-2.3)."""

from django.urls import path

from . import views_ctp

app_name = "ctp"

urlpatterns = [
    path("ctp/", views_ctp.ctp, name="ctp"),
    path("ctp/reply.pdf", views_ctp.ctp_reply_pdf, name="ctp_reply_pdf"),
]
