from django.urls import path

from . import views

app_name = "shopfloor"
urlpatterns = [
    path("report/<int:pk>/", views.report, name="report"),
    path("daily/", views.daily, name="daily"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/reverse/", views.reverse_report, name="reverse"),
    path("orders/<int:pk>/", views.order_reports, name="order"),
    path("orders/<int:pk>/traveller/", views.traveller, name="traveller"),
    *(url for entity in views.ALL for url in entity.urls()),
]
