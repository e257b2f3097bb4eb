"""The scrap reasons' master list gets every generic check (list, detail, create, edit, archive,
history, export, API, and the role table for every role)."""

from gendan.shopfloor import views
from gendan.testing import EntityCase, EntityChecks


def _reason(make):
    from gendan.shopfloor.models import ScrapReason

    return ScrapReason.objects.create(code=f"SR{make.n():03}", name="尺寸超差", name_en="Out of tolerance")


class TestShopfloorEntities(EntityChecks):
    modules = (views,)
    cases = {
        "scrapreason": EntityCase(
            existing=_reason,
            create=lambda make: {"code": f"SRN{make.n()}", "name": "外观划伤", "name_en": "Scratch"},
            edit={"name": "焊接不良"},
        )
    }
