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


# RFC 3339's "partial-time": what DRF reads and writes ("08:00", "08:00:00"). OpenAPI's "time"
# format is taken by validators as a full time with an offset ("08:00:00Z"), which no answer holds.
_PARTIAL_TIME = {
    "type": "string",
    "format": "partial-time",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
}
_ERROR = {
    "type": "object",
    "description": "detail (one message), or field name → messages",
    "additionalProperties": True,
}
# Every operation may answer these; an id in the path or a page number may also be not found.
_ERRORS = {
    "400": "The request is not valid: the answer names each field or parameter and why.",
    "401": "Not signed in (no or an unknown token).",
    "403": "The role may not do this.",
    "404": "No such record, or one the user may not see (or no such page of a list).",
}


def _walk(node):
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            node.update(_PARTIAL_TIME)
        for value in node.values():
            _walk(value)
    elif isinstance(node, list):
        for value in node:
            _walk(value)


def postprocess_schema(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS: the schema says what the API answers."""
    _walk(result)
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            codes = dict(_ERRORS)
            if method in {"post", "put", "patch"}:
                # The services' WorkflowConflict: someone else changed the record first.
                codes["409"] = "Someone else changed this record, or its state does not allow this."
            for code, text in codes.items():
                responses.setdefault(
                    code, {"description": text, "content": {"application/json": {"schema": _ERROR}}}
                )
    return result
