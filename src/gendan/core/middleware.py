from .audit import audit_source


class AuditSourceMiddleware:
    """Changes made while serving a request are recorded as coming from the web pages or the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_source("api" if request.path.startswith("/api/") else "web"):
            return self.get_response(request)
