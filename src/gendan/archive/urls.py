from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("", views.search, name="search"),
    path("order/<int:pk>/", views.order_view, name="order"),
    path("order/<int:pk>/upload/", views.upload, name="upload"),
    path("order/<int:pk>/dossier/", views.dossier, name="dossier"),
    path("document/<int:pk>/", views.document, name="document"),
    path("document/<int:pk>/file/", views.document_file, name="file"),
    path("document/<int:pk>/request/", views.request_access, name="request"),
    path("requests/", views.requests_inbox, name="requests"),
    path("requests/<int:pk>/approve/", views.decide, {"verdict": "approve"}, name="approve"),
    path("requests/<int:pk>/reject/", views.decide, {"verdict": "reject"}, name="reject"),
    path("mine/", views.mine, name="my_requests"),
    path("grants/", views.grants, name="grants"),
    path("log/", views.access_log, name="log"),
]
