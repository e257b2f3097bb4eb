from django.urls import path

from . import views, views_order

app_name = "purchasing"
urlpatterns = [
    path("requirements/", views.requirements, name="requirements"),
    path("requirements/compute/", views.compute, name="compute"),
    path("orders/<int:pk>/materials/", views_order.order_materials_page, name="order_materials"),
]
