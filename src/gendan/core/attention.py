"""What needs a person's attention now: each area registers a provider; the home page lists them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AttentionItem:
    title: Any  # e.g. "Products without a routing"
    count: int
    url: str  # the list page showing all of them
    examples: list[tuple[str, str]] = field(default_factory=list)  # (text, url) of the first few
    level: str = "warn"  # warn | info | danger
    first: bool = False  # listed before the others (escalations waiting for the reader)


_PROVIDERS: list[Callable[[Any], list[AttentionItem]]] = []


def register_attention(provider: Callable[[Any], list[AttentionItem]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def attention_for(user) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for provider in _PROVIDERS:
        items.extend(i for i in provider(user) if i.count)
    return sorted(items, key=lambda item: not item.first)  # stable: otherwise in registration order
