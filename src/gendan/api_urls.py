"""One router for the whole REST API (R-8.3); each app registers its viewsets in api/urls.py."""

from django.urls import path

from gendan.accounts.api.token import TokenView
from gendan.accounts.api.views import register as register_accounts
from gendan.aftersales.api.views import register as register_aftersales
from gendan.archive.api.views import register as register_archive
from gendan.core.api.routers import Router
from gendan.delivery.api.views import register as register_delivery
from gendan.escalations.api.views import register as register_escalations
from gendan.inventory.api.views import register as register_inventory
from gendan.issues.api.views import register as register_issues
from gendan.kpi.api.views import KpiSettingsView
from gendan.kpi.api.views import register as register_kpi
from gendan.masterdata.api.views import register as register_masterdata
from gendan.meetings.api.views import register as register_meetings
from gendan.notifications.api.views import register as register_notifications
from gendan.orders.api.views import register as register_orders
from gendan.planning.api.flow import register as register_planning_flow
from gendan.planning.api.reschedule import register as register_reschedule
from gendan.planning.api.views import register as register_planning
from gendan.purchasing.api.plans import register as register_purchase_plans
from gendan.purchasing.api.receiving import register as register_receiving
from gendan.purchasing.api.views import register as register_purchasing
from gendan.quality.api.views import register as register_quality
from gendan.risk.api.views import register as register_risk
from gendan.shopfloor.api.board import register as register_board
from gendan.shopfloor.api.views import register as register_shopfloor
from gendan.stores.api.views import register as register_stores

router = Router()
register_accounts(router)
register_masterdata(router)
register_inventory(router)
register_notifications(router)
register_orders(router)
register_reschedule(router)
register_shopfloor(router)
register_issues(router)
register_meetings(router)
register_archive(router)
register_planning(router)
register_planning_flow(router)
register_board(router)
register_purchasing(router)
register_purchase_plans(router)
register_stores(router)
register_receiving(router)
register_quality(router)
register_escalations(router)
register_aftersales(router)
register_kpi(router)
register_risk(router)
register_delivery(router)

urlpatterns = [
    path("token/", TokenView.as_view(), name="api-token"),
    path("kpi-settings/", KpiSettingsView.as_view(), name="kpi-settings"),
    *router.urls,
]
