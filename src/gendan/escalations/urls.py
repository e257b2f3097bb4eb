"""Escalation's pages (/escalations/…)."""

from django.urls import path

from . import views

app_name = "escalations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("issues/<int:pk>/", views.issue, name="issue"),
    path("issues/<int:pk>/escalate/", views.escalate, name="escalate"),
    *(url for entity in views.ALL for url in entity.urls()),
]
