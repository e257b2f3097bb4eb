from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib.auth.decorators import login_required
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from gendan.core.api.schema import SchemaView
from gendan.core.operations.health import healthz


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links to; it is a static file like the others."""

    def get_redirect_url(self, *args, **kwargs):
        return static_url("gendan/favicon.ico")


urlpatterns = [
    path("", include("gendan.core.urls")),
    path("accounts/", include("gendan.accounts.urls")),
    path("masterdata/", include("gendan.masterdata.urls")),
    path("inventory/", include("gendan.inventory.urls")),
    path("orders/", include("gendan.orders.urls")),
    path("planning/", include("gendan.planning.urls")),
    path("notifications/", include("gendan.notifications.urls")),
    path("planning/", include("gendan.planning.urls_ctp")),
    # The shop floor (/shopfloor/…), the progress board (/board/…) and the wall screens' links (/tv/<token>/…).
    path("", include("gendan.shopfloor.urls")),
    path("s/", include("gendan.shopfloor.urls_scan")),
    path("", include("gendan.issues.urls")),
    path("meetings/", include("gendan.meetings.urls")),
    path("archive/", include("gendan.archive.urls")),
    path("purchasing/", include("gendan.purchasing.urls")),
    path("stores/", include("gendan.stores.urls")),
    path("purchasing/", include("gendan.purchasing.urls_receiving")),
    path("quality/", include("gendan.quality.urls")),
    path("delivery/", include("gendan.delivery.urls")),
    path("escalations/", include("gendan.escalations.urls")),
    path("aftersales/", include("gendan.aftersales.urls")),
    path("kpi/", include("gendan.kpi.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("gendan.api_urls")),
    # The schema answers signed-in users (session or token: SERVE_PERMISSIONS in settings); the docs
    # page sends others to the login page.
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (the policy allows no inline script);
    # the page's own <style> block and Swagger UI's styles need inline styles, on this page only.
    path(
        "api/docs/",
        login_required(
            csp_update({"style-src": [UNSAFE_INLINE]})(
                SpectacularSwaggerSplitView.as_view(url_name="api-schema")
            )
        ),
        name="api-docs",
    ),
    path("favicon.ico", FaviconView.as_view()),
    path("healthz", healthz, name="healthz"),
]
handler500 = "gendan.core.operations.requestid.server_error"
if settings.DEBUG:
    from django.contrib import admin

    urlpatterns += [path("django-admin/", admin.site.urls)]
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
