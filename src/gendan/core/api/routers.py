"""The API's router: every record in a path is named by its numeric id."""

from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # DRF's default takes any text, so "/api/customers/abc/" reached the query and failed there
        # (a 500). Ids are ASCII digits ("\d" would take "²"): anything else is the URL resolver's
        # 404. A viewset may still name its own lookup_value_regex.
        self._default_value_pattern = "[0-9]+"
