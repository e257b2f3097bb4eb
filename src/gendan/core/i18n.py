"""Names and units in the reader's language.

Master records keep a Chinese `name` and an optional `name_en`: `LocalName.local_name` is the one
for the active language, and their `__str__` uses it, so a page, a message, a PDF or an export made
for an English reader names things in English wherever an English name exists.

Units are free text on products and materials, usually Chinese (台, 个, 米); `unit_label` gives
the common ones in English for an English reader (and the English ones in Chinese for a Chinese
reader); anything else is shown as stored.

Texts that are stored (audit notes, finding and impact parameters) cannot follow the reader later,
so they are written in both languages: `in_both(render)` and `localized(params)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation

CHINESE = "zh-hans"
ENGLISH = "en"


def reads_english() -> bool:
    """Is the active language English (or anything else that is not Chinese)?"""
    return not (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh")


def pick(chinese: str, english: str) -> str:
    """The English text for an English reader when there is one, else the Chinese."""
    return english if english and reads_english() else chinese


class LocalName:
    """For models with `name` (Chinese) and `name_en` (optional English)."""

    name: str
    name_en: str

    @property
    def local_name(self) -> str:
        return pick(self.name, self.name_en)


# The usual units of a Chinese factory; the English is what an English order copy would print.
UNITS_EN = {
    "台": "unit",
    "个": "pcs",
    "件": "pcs",
    "只": "pcs",
    "支": "pcs",
    "根": "pcs",
    "块": "pcs",
    "片": "pcs",
    "颗": "pcs",
    "粒": "pcs",
    "条": "pcs",
    "把": "pcs",
    "套": "set",
    "副": "pair",
    "对": "pair",
    "双": "pair",
    "米": "m",
    "厘米": "cm",
    "毫米": "mm",
    "千米": "km",
    "公里": "km",
    "平方米": "m²",
    "立方米": "m³",
    "千克": "kg",
    "公斤": "kg",
    "克": "g",
    "吨": "t",
    "斤": "jin",
    "升": "L",
    "毫升": "mL",
    "卷": "roll",
    "张": "sheet",
    "箱": "carton",
    "盒": "box",
    "包": "bag",
    "袋": "bag",
    "桶": "drum",
    "瓶": "bottle",
    "罐": "can",
    "盘": "reel",
    "份": "copy",
    "本": "copy",
    "令": "ream",
    "托": "pallet",
    "批": "lot",
}
# English units a Chinese reader would rather see in Chinese (kg, m, L read the same in both).
UNITS_ZH = {
    "pcs": "个",
    "pc": "个",
    "piece": "个",
    "pieces": "个",
    "unit": "台",
    "units": "台",
    "set": "套",
    "sets": "套",
    "pair": "对",
    "pairs": "对",
    "roll": "卷",
    "rolls": "卷",
    "sheet": "张",
    "sheets": "张",
    "carton": "箱",
    "cartons": "箱",
    "box": "盒",
    "boxes": "盒",
    "bag": "包",
    "bags": "包",
    "drum": "桶",
    "bottle": "瓶",
    "reel": "盘",
    "pallet": "托",
}


def unit_label(unit: str | None) -> str:
    """A stored unit as the reader says it: 台 → "unit" in English, "pcs" → 个 in Chinese."""
    if not unit:
        return ""
    key = unit.strip()
    if reads_english():
        return UNITS_EN.get(key, unit)
    return UNITS_ZH.get(key.lower(), unit)


class LocalUnit:
    """For models with a free-text `unit`: pages show `get_unit_display()` (lists and detail
    pages pick it up like a choice's label); forms, imports and exports keep the stored text."""

    unit: str

    def get_unit_display(self) -> str:
        return unit_label(self.unit)


def in_both(render: Callable[[], Any]) -> tuple[str, str]:
    """`render()` in Chinese and in English: for a text that is stored and read later by anyone."""
    with translation.override(CHINESE):
        chinese = str(render())
    with translation.override(ENGLISH):
        english = str(render())
    return chinese, english


def bilingual(chinese: str, english: str = "") -> dict[str, str]:
    """A stored parameter in both languages, worded later for the reader by `localized`."""
    return {"zh": chinese, "en": english or chinese}


def str_in_both(obj: Any) -> dict[str, str]:
    """`str(obj)` in both languages (e.g. "C001 华南电子" and "C001 South China Electronics")."""
    return bilingual(*in_both(lambda: obj))


def local_text(value: Any) -> Any:
    """One stored value for the reader: {"zh": …, "en": …} gives the active language's text."""
    if isinstance(value, dict) and "zh" in value:
        return (value.get("en") or value["zh"]) if reads_english() else value["zh"]
    return value


def localized(params: dict[str, Any]) -> dict[str, Any]:
    """Stored message parameters for the reader: a value stored as {"zh": …, "en": …} (bilingual)
    becomes the one of the active language."""
    return {key: local_text(value) for key, value in params.items()}
