from django.urls import path

from . import views
from .urls_cases import urlpatterns as case_urls

app_name = "purchasing"
urlpatterns = [
    path("requirements/", views.requirements, name="requirements"),
    path("requirements/compute/", views.compute, name="compute"),
    *case_urls,
]
