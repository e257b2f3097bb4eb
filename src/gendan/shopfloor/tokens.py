"""The QR codes of a job traveller: `<site>/s/<token>`, the token signed (django.core.signing, with
its own salt) over the order operation's id and this factory's identifier. A code printed by another
factory's Gendan (another key, or another GENDAN_FACTORY_ID) or an edited one is refused."""

from django.conf import settings
from django.core import signing

SALT = "gendan.shopfloor.traveller"


def factory_id() -> str:
    return str(getattr(settings, "GENDAN_FACTORY_ID", "") or "gendan")


def operation_token(operation_id: int) -> str:
    return signing.dumps({"op": operation_id, "f": factory_id()}, salt=SALT)


def operation_from_token(token: str) -> int | None:
    """The operation id a token names, or None for a forged, damaged or foreign one."""
    if not token or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("f") != factory_id():
        return None
    op = data.get("op")
    return op if isinstance(op, int) and op > 0 else None
