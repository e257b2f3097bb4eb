from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterdataConfig(AppConfig):
    name = "gendan.masterdata"
    label = "masterdata"
    verbose_name = _("Master data")

    def ready(self) -> None:
        from gendan.core.attention import register_attention

        from .selectors import masterdata_attention

        register_attention(masterdata_attention)
