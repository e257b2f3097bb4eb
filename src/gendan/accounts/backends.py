from django.contrib.auth.backends import ModelBackend

from .choices import Role
from .roles import permissions_for


class RolePermissionBackend(ModelBackend):
    """Password login as usual; permissions come from the user's role (roles.py), not from rows."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_gendan_perm_cache"):
            user_obj._gendan_perm_cache = set(permissions_for(getattr(user_obj, "role", "")))
        return user_obj._gendan_perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if user_obj.is_superuser or getattr(user_obj, "role", None) == Role.ADMIN:
            return True
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser or getattr(user_obj, "role", None) == Role.ADMIN:
            return True
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))
