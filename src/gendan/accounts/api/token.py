"""/api/token/: POST a user name and password for a token (counted by the login lockout like the
login page), DELETE to revoke one's own token."""

from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services

TokenResponse = inline_serializer(
    "TokenResponse", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
)


class TokenView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: TokenResponse,
            400: OpenApiResponse(description="wrong user name or password"),
            429: OpenApiResponse(description="too many failed logins for this user name or address"),
        },
        auth=[],
    )
    def post(self, request):
        # Django's request, not DRF's wrapper: the lockout marks it and answers 429 for it.
        django_request = request._request
        serializer = AuthTokenSerializer(data=request.data, context={"request": django_request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = services.token_issue(user=user)
        # As a page login does: resets the failure count, records last_login and the audit entry.
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        return Response({"token": token.key, "expires": services.token_expires_at(token)})

    @extend_schema(request=None, responses={204: None, 404: OpenApiResponse(description="no token")})
    def delete(self, request):
        revoked = services.token_revoke(actor=request.user, user_id=request.user.pk)
        if not revoked:
            raise NotFound(_("You have no API token."))
        return Response(status=status.HTTP_204_NO_CONTENT)
