from django.urls import include, path

from . import views

app_name = "purchasing"
urlpatterns = [
    path("requirements/", views.requirements, name="requirements"),
    path("requirements/compute/", views.compute, name="compute"),
    path("", include("gendan.purchasing.urls_plans")),
    path("", include("gendan.purchasing.urls_scores")),
    path("", include("gendan.purchasing.urls_po")),
]
