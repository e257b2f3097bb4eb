"""Receiving's pages (namespace "receiving", under /purchasing/)."""

from django.urls import path

from . import views_receiving as v

app_name = "receiving"
urlpatterns = [
    path("receive/", v.receive, name="receive"),
    path("receipts/", v.receipts, name="receipt_list"),
    path("receipts/<int:pk>/", v.receipt, name="receipt_detail"),
]
