from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.translation import gettext_lazy as _

from . import secret_key


@register()
def atomic_requests_off(app_configs, **kwargs):
    # Under SQLite's IMMEDIATE transactions a request-wide transaction would queue every reader.
    if any(db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values()):
        return [Warning("ATOMIC_REQUESTS must stay off.", id="gendan.W001")]
    return []


@register(Tags.security)
def secret_key_not_known(app_configs, **kwargs):
    """A published or short key lets anyone forge sessions: the server does not start with one
    (outside DEBUG). Django's own W009 speaks only under --deploy and misses a long published key."""
    key = str(settings.SECRET_KEY)
    level = Warning if settings.DEBUG else Error
    hint = _(
        "Remove SECRET_KEY from the environment (Gendan then keeps its own in the data folder), or set a new random one."
    )
    if secret_key.is_known(key):
        return [level(_("SECRET_KEY is a publicly known key."), hint=hint, id="gendan.E010")]
    if secret_key.is_weak(key):
        message = _(
            "SECRET_KEY is too short or too simple (at least %(length)s characters, %(unique)s different)."
        )
        return [
            level(
                message % {"length": secret_key.MIN_LENGTH, "unique": secret_key.MIN_UNIQUE},
                hint=hint,
                id="gendan.E011",
            )
        ]
    return []
