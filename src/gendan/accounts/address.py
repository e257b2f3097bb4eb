"""The network address a request came from, as the login lockout counts it and the audit trail
records it for logins and token revocations."""

import contextvars

from django.conf import settings
from django.http import HttpRequest

_address: contextvars.ContextVar[str] = contextvars.ContextVar("client_address", default="")


def client_address(request: HttpRequest) -> str:
    """The peer, or behind GENDAN_PROXY_COUNT reverse proxies the address the outermost of them
    saw (earlier entries of X-Forwarded-For are only the client's say)."""
    count = settings.GENDAN_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def current_address() -> str:
    """The address of the request being served; empty outside a request (a command, a task)."""
    return _address.get()


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _address.reset(token)
