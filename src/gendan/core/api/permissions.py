from rest_framework.permissions import DjangoModelPermissions


class RolePermission(DjangoModelPermissions):
    """The same role table as the pages: view to read, add to create, change to edit/archive.
    Nothing is ever hard-deleted through the API."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }
