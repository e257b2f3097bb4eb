"""Brute-force protection of the login page and the API token endpoint (django-axes, issue 14).

Wrong passwords are counted per user name and per address; either reaching its limit locks logins
for the cool-off time. Settings: GENDAN_LOGIN_FAILURES (per name), GENDAN_LOGIN_ADDRESS_FAILURES
(per address, higher: a workshop shares one), GENDAN_LOGIN_COOLOFF_MINUTES.
"""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .address import client_address


class LoginGuardBackend(AxesStandaloneBackend):
    """Refuses a login while its user name or address is locked out. A login without a request
    (the test client, a management command) does not come over the network, so there is nothing
    to count: it goes straight to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _failures(**lookup) -> int:
    """Wrong passwords within the cool-off time, as axes counts them."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return recent.filter(**lookup).aggregate(n=Sum("failures_since_start"))["n"] or 0


def _name_locked(username: str) -> bool:
    return bool(username) and _failures(username=username) >= settings.GENDAN_LOGIN_FAILURES


def failure_limit(request: HttpRequest, credentials=None) -> int:
    """axes' AXES_FAILURE_LIMIT: axes locks when the larger of the name's and the address's counts
    reaches one limit. Two limits (a name's, lower; an address's, higher) are answered by giving
    axes the limit of whichever is reached, or one above both counts."""
    username = get_client_username(request, credentials) or ""
    by_name = _failures(username=username) if username else 0
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    by_address = _failures(ip_address=address) if address else 0
    if by_name >= settings.GENDAN_LOGIN_FAILURES:
        return settings.GENDAN_LOGIN_FAILURES
    if by_address >= settings.GENDAN_LOGIN_ADDRESS_FAILURES:
        return settings.GENDAN_LOGIN_ADDRESS_FAILURES
    return max(by_name, by_address) + 1


def lockout_message(request: HttpRequest, username: str) -> str:
    locked_name = _name_locked(username)
    limit = settings.GENDAN_LOGIN_FAILURES if locked_name else settings.GENDAN_LOGIN_ADDRESS_FAILURES
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    params = {
        "limit": limit,
        "time": formats.time_format(retry_at, "H:i"),
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    if locked_name:
        text = _(
            "Too many wrong passwords: this account is locked after %(limit)s failed logins. "
            "Try again after %(time)s (in %(minutes)s minutes), or ask an administrator to unlock it."
        )
    else:
        text = _(
            "Too many wrong passwords from this address: logins from it are locked after %(limit)s "
            "failures. Try again after %(time)s (in %(minutes)s minutes), or ask an administrator "
            "to unlock it."
        )
    return text % params


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """axes' lockout answer: the API gets JSON, the login page a page of its own; HTTP 429."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    message = lockout_message(request, username)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked.html", {"message": message}, status=429)


def on_login(sender, request, user, **kwargs) -> None:
    from .services import login_audit

    if request is None or not request.META.get("REMOTE_ADDR"):
        return  # not over the network: the test client's force_login, a command
    # The right password ends this name's count, and only this name's (see AXES_RESET_ON_SUCCESS).
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    login_audit(username=user.get_username(), user=user, address=client_address(request), success=True)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Runs after axes' own receiver, which has counted the failure and flagged a lockout."""
    from .models import User
    from .services import login_audit

    request = getattr(request, "_request", request)  # the API's request wraps Django's
    if request is None or not request.META.get("REMOTE_ADDR"):
        return  # not over the network (the test client, a command)
    username = str(credentials.get("username") or "")
    user = User.objects.filter(username=username).first() if username else None
    login_audit(
        username=username,
        user=user,
        address=client_address(request),
        success=False,
        locked=bool(getattr(request, "axes_locked_out", False)),
    )
