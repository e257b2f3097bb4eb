from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="language"),
    path("me/", views.my_account, name="me"),
    path("me/token/revoke/", views.my_token_revoke, name="my_token_revoke"),
    *views.users.urls(),
    *views.departments.urls(),
]
