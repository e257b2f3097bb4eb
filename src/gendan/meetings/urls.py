from django.urls import path

from . import actions
from .views import agenda_view, meetings, pdf_view

app_name = "meetings"
_m = "meeting/<int:pk>/"
urlpatterns = [
    *meetings.urls(),
    path(_m + "agenda/", agenda_view, name="agenda"),
    path(_m + "agenda/add/", actions.agenda_add, name="agenda_add"),
    path(_m + "agenda/<int:item_id>/remove/", actions.agenda_remove, name="agenda_remove"),
    path(_m + "agenda/<int:item_id>/decide/", actions.decide, name="decide"),
    path(_m + "attendees/", actions.attendees, name="attendees"),
    path(_m + "actions/", actions.action_add, name="action_add"),
    path(_m + "hold/", actions.hold, name="hold"),
    path(_m + "minutes/", actions.send_minutes, name="send_minutes"),
    path(_m + "pdf/", pdf_view, name="meeting_pdf"),
]
