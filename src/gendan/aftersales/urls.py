from django.urls import path

from . import actions
from .rate import rate
from .views import complaints, order_satisfaction, pdf_view, photo_view

app_name = "aftersales"
_c = "complaint/<int:pk>/"
urlpatterns = [
    *complaints.urls(),
    path(_c + "reply.pdf", pdf_view, name="complaint_pdf"),
    path(_c + "photos/", actions.photo_add, name="photo_add"),
    path(_c + "photos/<int:photo_id>/", photo_view, name="photo"),
    path(_c + "take/", actions.take, name="take"),
    path(_c + "findings/", actions.findings, name="findings"),
    path(_c + "answer/", actions.answer, name="answer"),
    path(_c + "close/", actions.close, name="close"),
    path(_c + "reopen/", actions.reopen, name="reopen"),
    path(_c + "rate/", actions.rate, name="complaint_rate"),
    path(_c + "link/", actions.link, name="complaint_link"),
    path("order/<int:pk>/", order_satisfaction, name="order"),
    path("order/<int:pk>/rate/", actions.order_rate, name="order_rate"),
    path("order/<int:pk>/link/", actions.order_link, name="order_link"),
    path("rate/<str:token>/", rate, name="rate"),
]
