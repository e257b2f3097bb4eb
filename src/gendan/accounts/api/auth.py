"""API tokens that expire (issue 14): a token older than GENDAN_API_TOKEN_DAYS is refused with a
401 that says so; POST /api/token/ issues a new one."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from ..services import token_expires_at


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            raise AuthenticationFailed(
                _("The API token expired on %(date)s; ask for a new one with POST /api/token/.")
                % {"date": timezone.localtime(token_expires_at(token)).strftime("%Y-%m-%d %H:%M")}
            )
        return user, token
