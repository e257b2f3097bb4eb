from django.urls import path

from . import views

app_name = "kpi"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("settings/", views.settings_page, name="settings"),
    path("<int:user_id>/", views.detail, name="detail"),
]
