"""The short address a traveller's QR code holds: /s/<signed token>."""

from django.urls import path

from . import views

app_name = "shopfloor_scan"
urlpatterns = [path("<str:token>", views.scan, name="scan")]
