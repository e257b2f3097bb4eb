"""Pages of "can we deliver?", the Gantt of the schedule in force and the reschedule of all open
orders (R-2.3)."""

from django.urls import path

from . import views_ctp, views_gantt, views_reschedule

app_name = "ctp"

urlpatterns = [
    path("ctp/", views_ctp.ctp, name="ctp"),
    path("ctp/reply.pdf", views_ctp.ctp_reply_pdf, name="ctp_reply_pdf"),
    path("gantt/", views_gantt.gantt, name="gantt"),
    path("reschedule/", views_reschedule.reschedule_list, name="reschedule_list"),
    path("reschedule/<int:pk>/", views_reschedule.reschedule_detail, name="reschedule_detail"),
    path("reschedule/<int:pk>/accept/", views_reschedule.reschedule_accept, name="reschedule_accept"),
    path("reschedule/<int:pk>/discard/", views_reschedule.reschedule_discard, name="reschedule_discard"),
]
