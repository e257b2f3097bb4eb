"""The menu: each app registers its pages in its `AppConfig.ready()`; core knows no app's pages.

    register_menu("orders", _("Orders"), 10, [(_("Orders"), "orders:order_list", "orders.view_order")])

Groups show by their order; within a group, each app's items by `position`, in the order given.
A person sees an item when his role has its permission, and a group when he sees one of its items.
A page registered in two groups (for two roles) shows once, in the first group the person sees.
"""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


@dataclass
class _Group:
    title: Any
    order: int
    items: list[tuple[int, int, Any, str, str]] = field(default_factory=list)


_GROUPS: dict[str, _Group] = {}


def register_menu(
    group: str, title: Any, order: int, items: list[tuple[Any, str, str]], *, position: int = 50
) -> None:
    """Add (title, url name, permission) items to a group, created at its first registration."""
    entry = _GROUPS.setdefault(group, _Group(title, order))
    known = {url_name for *_, url_name, _perm in entry.items}
    for index, (item_title, url_name, permission) in enumerate(items):
        if url_name not in known:  # ready() may run twice (tests); register once
            entry.items.append((position, index, item_title, url_name, permission))


def menu_for(user, path: str = "") -> list[dict]:
    groups = []
    shown: set[str] = set()
    for entry in sorted(_GROUPS.values(), key=lambda g: g.order):
        visible = []
        for *_, title, url_name, permission in sorted(entry.items, key=lambda i: i[:2]):
            if url_name not in shown and user.has_perm(permission):
                shown.add(url_name)
                url = reverse(url_name)
                visible.append({"title": title, "url": url, "active": path.startswith(url)})
        if visible:
            groups.append({"title": entry.title, "items": visible})
    return groups
