"""Supplier cases' pages; purchasing/urls.py includes them (app_name "purchasing")."""

from django.urls import path

from . import views_cases as v

urlpatterns = [
    path("cases/", v.cases, name="case_list"),
    path("cases/<int:pk>/", v.case_detail, name="case_detail"),
    path("cases/<int:pk>/decide/", v.decide, name="case_decide"),
    path("cases/<int:pk>/return/", v.record_return, name="case_return"),
    path("cases/<int:pk>/approve/", v.approve, name="case_approve"),
    path("cases/<int:pk>/reject/", v.reject, name="case_reject"),
    path("cases/<int:pk>/reconsider/", v.reconsider, name="case_reconsider"),
]
