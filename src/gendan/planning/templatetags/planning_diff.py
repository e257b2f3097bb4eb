import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def field(row, name):
    return (row or {}).get(name)


@register.filter
def when(value):
    """A diff cell: times to the minute in local time, dates as dates, the rest as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return value
