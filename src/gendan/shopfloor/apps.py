from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopfloorConfig(AppConfig):
    name = "gendan.shopfloor"
    label = "shopfloor"
    verbose_name = _("Shop floor")
