from django.urls import path

from . import views

app_name = "purchasing"
urlpatterns = [
    path("requirements/", views.requirements, name="requirements"),
    path("requirements/compute/", views.compute, name="compute"),
]
