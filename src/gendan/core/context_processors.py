from .menu import menu_for


def navigation(request):
    """The menu the apps registered (core.menu), as far as the signed-in person may open it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": menu_for(user, request.path)}
