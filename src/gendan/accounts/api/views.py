from gendan.core.api.viewsets import MasterRecordViewSet

from .. import views as pages
from . import serializers as s


class UserViewSet(MasterRecordViewSet):
    """Users: administrators only. Archive deactivates the account; nothing is deleted."""

    entity = pages.users
    serializer_class = s.UserSerializer
    queryset = pages.users.model.objects.none()


class DepartmentViewSet(MasterRecordViewSet):
    entity = pages.departments
    serializer_class = s.DepartmentSerializer
    queryset = pages.departments.model.objects.none()


def register(router) -> None:
    router.register("users", UserViewSet, basename="user")
    router.register("departments", DepartmentViewSet, basename="department")
