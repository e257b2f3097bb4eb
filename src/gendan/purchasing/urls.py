from django.urls import include, path

from . import views, views_order
from .urls_cases import urlpatterns as case_urls

app_name = "purchasing"
urlpatterns = [
    path("requirements/", views.requirements, name="requirements"),
    path("requirements/compute/", views.compute, name="compute"),
    path("", include("gendan.purchasing.urls_plans")),
    path("", include("gendan.purchasing.urls_scores")),
    path("", include("gendan.purchasing.urls_po")),
    *case_urls,
    path("orders/<int:pk>/materials/", views_order.order_materials_page, name="order_materials"),
]
