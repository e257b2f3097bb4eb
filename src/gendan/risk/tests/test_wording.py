"""Every reason code of the engine has a sentence in Chinese and in English, with its parameters."""

import pytest
from django.utils import translation

from gendan.engine.delivery_risk import REASON_CODES
from gendan.risk.wording import reason_text

PARAMS = {"line": 2, "days": 3, "material": "M-100", "number": "YC-2026-0001", "severity": "high"}

EN = {
    "overdue": "Line 2: the delivery date passed 3 days ago, not delivered in full",
    "schedule_after_due": "Line 2: the schedule in force finishes 3 days after the delivery date",
    "finish_after_due": "Line 2: late material pushes the finish 3 days past the delivery date",
    "material_uncovered": "Line 2: M-100 is short and nothing on order covers it",
    "material_undated": "Line 2: M-100 is short and its supply has no date yet",
    "material_late": "Line 2: M-100 arrives 3 days after it is needed",
    "issue_overdue": "Issue YC-2026-0001 (High) is 3 days past its due date",
    "behind_schedule": "Line 2: 3 days behind its planned finish",
    "not_planned": "Line 2: no schedule in force yet",
    "slack_low": "Only 3 days of slack before the delivery date",
    "issue_open": "Open issue YC-2026-0001 (High)",
}

ZH = {
    "overdue": "第 2 行：交期已过 3 天，尚未交齐",
    "schedule_after_due": "第 2 行：生效计划比交期晚 3 天完工",
    "finish_after_due": "第 2 行：物料迟到使完工比交期晚 3 天",
    "material_uncovered": "第 2 行：M-100 缺料，且无在途采购可补足",
    "material_undated": "第 2 行：M-100 缺料，在途采购尚无到货日期",
    "material_late": "第 2 行：M-100 比需用日期晚 3 天到货",
    "behind_schedule": "第 2 行：已落后计划完工 3 天",
    "not_planned": "第 2 行：尚无生效的生产计划",
    "slack_low": "距交期仅余 3 天",
}


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_reason_in_english(code):
    with translation.override("en"):
        assert reason_text(code, PARAMS) == EN[code]


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_reason_in_chinese(code):
    with translation.override("zh-hans"):
        text = reason_text(code, PARAMS)
    if code in ZH:
        assert text == ZH[code]
    else:  # an issue's words carry its severity's own translation
        assert (
            "YC-2026-0001" in text
            and "异常" in text
            and not any(c.isascii() and c.isalpha() for c in text.replace("YC", ""))
        )


def test_one_day_is_singular_in_english():
    with translation.override("en"):
        assert reason_text("slack_low", {"days": 1}) == "Only 1 day of slack before the delivery date"


def test_an_unknown_code_or_broken_params_show_the_code():
    assert reason_text("something_new", {}) == "something_new"
    assert reason_text("material_late", {"line": 1}) == "material_late"
