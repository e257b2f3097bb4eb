TITLES = {"zh-hans": "订单 SO-1 已下达", "en": "Order SO-1 released"}
BODIES = {"zh-hans": "请各部门确认。", "en": "Please acknowledge."}


def title(language: str) -> str:
    return TITLES[language]


def body(language: str) -> str:
    return BODIES[language]
