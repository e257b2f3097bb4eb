import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
application = get_wsgi_application()


def _settle() -> None:
    """Load every page's code now (the URL configuration imports the views, services and the
    scheduling engine's libraries), then leave what lives as long as the process out of the garbage
    collector's full passes: a few hundred thousand objects of OR-Tools, numba and pandas made
    such a pass cost 160 ms in the middle of a request (bench/pages.py)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    gc.collect()
    gc.freeze()


_settle()
