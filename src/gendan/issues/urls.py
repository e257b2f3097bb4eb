from django.urls import path

from . import actions, views_follow
from .views import issues, maintenance

app_name = "issues"
_i = "issues/<int:pk>/"
urlpatterns = [
    path("issues/by-department/", views_follow.department_issues, name="by_department"),
    path("issues/my-orders/", views_follow.my_orders_issues, name="my_orders"),
    *issues.urls(),
    *maintenance.urls(),
    path(_i + "accept/", actions.accept, name="accept"),
    path(_i + "resolve/", actions.resolve, name="resolve"),
    path(_i + "close/", actions.close, name="close"),
    path(_i + "reopen/", actions.reopen, name="reopen"),
    path(_i + "notes/", actions.note, name="note"),
]
