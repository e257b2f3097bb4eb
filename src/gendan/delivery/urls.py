from django.urls import path

from . import views

app_name = "delivery"
_s = "shipment/<int:pk>/"
urlpatterns = [
    path("", views.shipment_list_view, name="list"),
    path(_s, views.detail, name="detail"),
    path(_s + "confirm/", views.confirm, name="confirm"),
    path(_s + "ship/", views.ship, name="ship"),
    path(_s + "cancel/", views.cancel, name="cancel"),
    path(_s + "deliver/", views.deliver, name="deliver"),
    path(_s + "receipt/", views.receipt, name="receipt"),
    path(_s + "packing-list.pdf", views.packing_list, name="packing_list"),
    path(_s + "delivery-note.pdf", views.delivery_note, name="delivery_note"),
    path("order/<int:pk>/", views.order, name="order"),
    path("order/<int:pk>/close/", views.close, name="close"),
]
