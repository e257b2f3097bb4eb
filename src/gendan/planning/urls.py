"""Production planning pages: building and adjusting a version (views_build), its approval and
versions (urls_flow)."""

from django.urls import include, path

from . import views_build

app_name = "planning"
urlpatterns = [
    path("", include("gendan.planning.urls_flow")),
    path("plan/", views_build.plan_orders, name="plan_orders"),
    path("version/<int:pk>/", views_build.version_detail, name="version_detail"),
    path("version/<int:pk>/rerun/", views_build.version_rerun, name="version_rerun"),
    path("version/<int:pk>/acknowledge/", views_build.version_acknowledge, name="version_acknowledge"),
    path("planned/<int:pk>/pin/", views_build.planned_pin, name="planned_pin"),
    path("planned/<int:pk>/unpin/", views_build.planned_unpin, name="planned_unpin"),
    path("planned/<int:pk>/split/", views_build.planned_split, name="planned_split"),
]
