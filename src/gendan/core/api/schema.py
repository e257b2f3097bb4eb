"""The OpenAPI schema view, safe for the first requests after start-up."""

import threading

from drf_spectacular.views import SpectacularAPIView


def load_schema_extensions() -> None:
    """Import drf-spectacular's extensions and resolve their targets now, at start-up.

    drf-spectacular resolves each extension's target class (a dotted name) the first time a schema
    is generated, by assigning to the class attribute: two threads doing it at once saw None half-way
    and answered 500.
    """
    from drf_spectacular import openapi  # noqa: F401  (imports drf_spectacular.contrib: the extensions)
    from drf_spectacular.plumbing import OpenApiGeneratorExtension

    for kind in OpenApiGeneratorExtension.__subclasses__():
        for extension in list(kind._registry):
            if isinstance(extension.target_class, str):
                extension._load_class()


class SchemaView(SpectacularAPIView):
    # Generation keeps state in module globals (warnings, traces): one at a time. It is rare and
    # takes about a second; a request waiting for another's gets its own afterwards.
    _lock = threading.Lock()

    def _get_schema_response(self, request):
        with self._lock:
            return super()._get_schema_response(request)
