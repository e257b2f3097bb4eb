"""The words of a PDF's page frame (page X of Y, printed at) in the reader's language, and the
print time."""

from __future__ import annotations

import datetime as dt

_LABELS = {
    "zh": {
        "page": "第 {page} 页 / 共 {pages} 页",
        "printed": "打印时间：{time}",
        "signature": "签字/日期：",
    },
    "en": {
        "page": "Page {page} / {pages}",
        "printed": "Printed: {time}",
        "signature": "Signature / date:",
    },
}


def page_labels(lang: str, overrides: dict | None) -> dict:
    base = dict(_LABELS["zh" if lang.lower().startswith("zh") else "en"])
    try:  # a message catalogue, when one translates these, wins over the built-in wording
        from django.conf import settings

        if settings.configured and settings.USE_I18N:
            from django.utils import translation

            with translation.override(lang):
                for key, msgid in _LABELS["en"].items():
                    translated = translation.gettext(msgid)
                    if translated != msgid:
                        base[key] = translated
    except Exception:  # noqa: BLE001 - no Django, no catalogue: built-in labels are fine
        pass
    base.update(overrides or {})
    return base


def print_time() -> dt.datetime:
    try:
        from django.conf import settings

        if settings.configured and settings.USE_TZ:
            from django.utils import timezone

            return timezone.localtime()
    except Exception:  # noqa: BLE001
        pass
    return dt.datetime.now()
