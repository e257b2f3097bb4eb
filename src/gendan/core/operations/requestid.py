"""A request id on every response (X-Request-ID), in every log line and on the error pages, so that
a user's "it failed" can be found in the logs. A proxy's id is kept when it looks like one."""

import contextvars
import logging
import re
import uuid

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader

HEADER = "X-Request-ID"
# A proxy's id (nginx $request_id, a UUID, ...) goes into logs and pages: only plain characters.
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current() -> str:
    return _current.get()


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "").strip()
    return given if _SANE.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost middleware: the id is known to everything the request runs, error pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record ("-" outside a request: the worker, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current()
        return True


def server_error(request: HttpRequest, *args, **kwargs):
    """Django's 500 handler renders without context; ours gives the page the request id to quote."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": current()}))
