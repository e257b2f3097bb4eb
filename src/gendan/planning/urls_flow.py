"""The approval pages and buttons; planning/urls.py includes them (app_name "planning")."""

from django.urls import path

from . import views_flow as v

urlpatterns = [
    path("", v.plans, name="plan_list"),
    path("orders/<int:pk>/versions/", v.versions, name="plan_versions"),
    path("orders/<int:pk>/diff/", v.diff, name="plan_diff"),
    path("versions/<int:pk>/approval/", v.approval, name="version_approval"),
    path("versions/<int:pk>/submit/", v.submit, name="version_submit"),
    path("versions/<int:pk>/approve/", v.approve, name="version_approve"),
    path("versions/<int:pk>/reject/", v.reject, name="version_reject"),
    path("versions/<int:pk>/withdraw/", v.withdraw, name="version_withdraw"),
]
