"""Purchase plan pages (views_plans.py), included from urls.py."""

from django.urls import path

from . import views_plans as v

urlpatterns = [
    path("plans/", v.plan_index, name="plan_list"),
    path("plans/new/", v.plan_new, name="plan_new"),
    path("plans/pending/", v.plan_pending, name="plan_pending"),
    path("plans/<int:pk>/", v.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/export/", v.plan_export, name="plan_export"),
    path("plans/<int:pk>/add-line/", v.plan_line_add, name="plan_line_add"),
    path("plans/<int:pk>/submit/", v.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/withdraw/", v.plan_withdraw, name="plan_withdraw"),
    path("plans/<int:pk>/revise/", v.plan_revise, name="plan_revise"),
    path("plans/<int:pk>/approve-mine/", v.plan_approve_mine, name="plan_approve_mine"),
    path("plan-lines/<int:pk>/", v.plan_line_row, name="plan_line_row"),
    path("plan-lines/<int:pk>/edit/", v.plan_line_edit, name="plan_line_edit"),
    path("plan-lines/<int:pk>/remove/", v.plan_line_remove, name="plan_line_remove"),
    path("plan-lines/<int:pk>/decide/", v.plan_line_decide, name="plan_line_decide"),
]
