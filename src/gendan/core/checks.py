from django.conf import settings
from django.core.checks import Warning, register


@register()
def atomic_requests_off(app_configs, **kwargs):
    # Under SQLite's IMMEDIATE transactions a request-wide transaction would queue every reader.
    if any(db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values()):
        return [Warning("ATOMIC_REQUESTS must stay off.", id="gendan.W001")]
    return []
