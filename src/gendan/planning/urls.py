"""Production planning pages. The version page (`version_detail`) and the plan building pages are
planbuild's; until they are merged, `version_detail` shows the version's approval page."""

from django.urls import include, path

from . import views_flow

app_name = "planning"

urlpatterns = [
    path("", include("gendan.planning.urls_flow")),
    path("versions/<int:pk>/", views_flow.approval, name="version_detail"),
]
