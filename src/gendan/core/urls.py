from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("audit/", views.audit_list, name="audit_list"),
]
