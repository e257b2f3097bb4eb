from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from gendan.core.crud import Col, EntityViews, ExtraAction

from . import filters, forms, services
from .models import Department, User
from .selectors import department_list, login_locked, user_list


def _revoke_token(*, actor, obj):
    services.token_revoke(actor=actor, user_id=obj.pk)
    return _("The API token of %(user)s is revoked; the programs using it must ask for a new one.") % {
        "user": obj
    }


def _unlock(*, actor, obj):
    services.login_unlock(actor=actor, user_id=obj.pk)
    return _("%(user)s may log in again.") % {"user": obj}


class UserViews(EntityViews):
    model, namespace, slug = User, "accounts", "user"
    form_class, filterset_class = forms.UserForm, filters.UserFilter
    default_sort = "username"
    detail_exclude = ("id", "password", "last_login", "is_superuser", "is_staff", "first_name", "last_name")
    columns = [
        Col("username", _("User name"), "username", link=True),
        Col("display_name", _("Display name"), "display_name"),
        Col("department", _("Department"), "department__code"),
        Col("role", _("Role"), "role"),
        Col("email", _("E-mail")),
        Col("is_active", _("Active"), "is_active"),
        Col("last_login", _("Last login"), "last_login"),
    ]
    extra_actions = [
        ExtraAction(
            "revoke_token",
            _("Revoke API token"),
            _revoke_token,
            shown=lambda user: Token.objects.filter(user=user).exists(),
            confirm=_("Revoke this user's API token?"),
            style="danger",
        ),
        ExtraAction("unlock_login", _("Unlock login"), _unlock, shown=login_locked),
    ]

    def queryset(self, user, action="view"):
        return user_list(user=user, action=action)

    def create(self, *, actor, data):
        return services.user_create(actor=actor, data=data)

    def update(self, *, actor, pk, data):
        return services.user_update(actor=actor, pk=pk, data=data)

    def set_archived(self, *, actor, pk, archived):
        return services.user_set_active(actor=actor, pk=pk, active=not archived)


class DepartmentViews(EntityViews):
    model, namespace, slug = Department, "accounts", "department"
    form_class, filterset_class = forms.DepartmentForm, filters.DepartmentFilter
    columns = [
        Col("code", _("Code"), "code", link=True),
        Col("local_name", _("Name"), "name"),
        Col("name_en", _("English name")),
        Col("kind", _("Kind"), "kind"),
        Col("manager", _("Manager")),
    ]

    def queryset(self, user, action="view"):
        return department_list(user=user, action=action)


users = UserViews()
departments = DepartmentViews()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        translation.activate(form.get_user().language)
        return response


@require_POST
@login_required
def set_language(request):
    """The language switch in the top bar: kept on the user, so it follows them to every device, and
    in the browser's language cookie, so the login page speaks it after logging out."""
    language = request.POST.get("language", "")
    if language in {"zh-hans", "en"}:
        services.user_set_language(user=request.user, language=language)
        translation.activate(language)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if language in {"zh-hans", "en"}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


@login_required
def my_account(request):
    """The signed-in user's own page: who he is and his API token, which he may revoke."""
    token = Token.objects.filter(user=request.user).first()
    expires = services.token_expires_at(token) if token else None
    return render(request, "accounts/my_account.html", {"token": token, "token_expires": expires})


@require_POST
@login_required
def my_token_revoke(request):
    if services.token_revoke(actor=request.user, user_id=request.user.pk):
        messages.success(request, _("Your API token is revoked; programs using it are refused from now on."))
    else:
        messages.error(request, _("You have no API token."))
    return redirect("accounts:me")
