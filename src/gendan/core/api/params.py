"""Query parameters the API reads itself (outside a filter set), parsed so bad input is a 400."""

import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

# Ids are BigAutoField: positive and at most 2**63 - 1. str.isdigit() also takes "²" and int()
# takes " 7" or "٣"; only ASCII digits name a record.
_ID = re.compile(r"[0-9]{1,19}")
ID_MAX = 2**63 - 1


def id_param(request, name: str) -> int | None:
    """The record id in query parameter `name`, None when it is absent or empty."""
    value = request.query_params.get(name, "")
    if value == "":
        return None
    if not _ID.fullmatch(value) or not 1 <= int(value) <= ID_MAX:
        raise ValidationError(
            {name: [_("Enter a record id: a whole number from 1 to %(max)s.") % {"max": ID_MAX}]}
        )
    return int(value)
