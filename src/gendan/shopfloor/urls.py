"""The shop floor's pages under /shopfloor/; the progress board (/board/…) and the wall screens'
read-only links (/tv/<token>/…) from urls_board.py. Mounted at the site's root."""

from django.urls import include, path

from . import views
from .urls_board import urlpatterns as board_urls

app_name = "shopfloor"
shopfloor_urls = [
    path("report/<int:pk>/", views.report, name="report"),
    path("daily/", views.daily, name="daily"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/reverse/", views.reverse_report, name="reverse"),
    path("orders/<int:pk>/", views.order_reports, name="order"),
    path("orders/<int:pk>/traveller/", views.traveller, name="traveller"),
    *(url for entity in views.ALL for url in entity.urls()),
]
urlpatterns = [path("shopfloor/", include(shopfloor_urls)), *board_urls]
