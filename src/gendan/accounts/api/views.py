from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gendan.core.api.viewsets import MasterRecordViewSet

from .. import services
from .. import views as pages
from . import serializers as s


class UserViewSet(MasterRecordViewSet):
    """Users: administrators only. Archive deactivates the account; nothing is deleted."""

    entity = pages.users
    serializer_class = s.UserSerializer
    queryset = pages.users.model.objects.none()

    @extend_schema(request=None, responses={204: None, 404: OpenApiResponse(description="no token")})
    @action(detail=True, methods=["post"], url_path="revoke-token")
    def revoke_token(self, request, pk=None):
        """Revoke the user's API token (administrators)."""
        user = self.get_object()
        if not services.token_revoke(actor=request.user, user_id=user.pk):
            raise NotFound(_("%(user)s has no API token.") % {"user": user})
        return Response(status=status.HTTP_204_NO_CONTENT)


class DepartmentViewSet(MasterRecordViewSet):
    entity = pages.departments
    serializer_class = s.DepartmentSerializer
    queryset = pages.departments.model.objects.none()


def register(router) -> None:
    router.register("users", UserViewSet, basename="user")
    router.register("departments", DepartmentViewSet, basename="department")
