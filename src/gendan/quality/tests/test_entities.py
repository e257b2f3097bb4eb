"""Defect codes, sampling settings and inspection plans get every generic check (list, detail, create, edit, archive,
history, export, API, and the role table for every role)."""

from gendan.quality import views
from gendan.testing import EntityCase, EntityChecks

from .test_plans import PLAN_CASES


def _code(make):
    from gendan.quality.models import DefectCode

    return DefectCode.objects.create(code=f"D{make.n():03}", name="锈蚀", name_en="Rust")


def _setting(make):
    from gendan.quality.models import SamplingSetting

    return SamplingSetting.objects.create(material=make.material(), level="II", aql="1.0")


class TestQualityEntities(EntityChecks):
    modules = (views,)
    cases = {
        "defectcode": EntityCase(
            existing=_code,
            create=lambda make: {"code": f"DN{make.n()}", "name": "划伤", "name_en": "Scratch"},
            edit={"name": "毛刺"},
        ),
        "samplingsetting": EntityCase(
            existing=_setting,
            create=lambda make: {"material": make.material(), "level": "I", "aql": "2.5"},
            edit={"aql": "0.65"},
        ),
        **PLAN_CASES,
    }
