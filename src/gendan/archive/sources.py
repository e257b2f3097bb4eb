"""Where an order's archive comes from: one entry per kind of document.

A kind is either uploaded (drawings, contracts, specifications …: the `Document` keeps the file) or
made by the system from another app's records (order copies, travellers, purchase orders, minutes):
its `Source` lists an order's records of that kind and opens one, rendering the PDF on demand where
the record keeps none. Filing (`services.archive_file_order`) turns what the sources list into
`Document` rows, one per (kind, ref), so filing twice files nothing new.

A later area adds its documents with one `register_source(Source(...))` in its `AppConfig.ready`
(or here): a delivery note, a packing list, a complaint reply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import Level


@dataclass(frozen=True)
class SourceRecord:
    """One record a source lists for an order: filed as one Document."""

    ref: str  # unique within the kind: "attachment:12", "po:7", "traveller:3:v2"
    title: str
    filed_on: dt.date
    version: int = 1
    level: str = Level.INTERNAL


@dataclass(frozen=True)
class Opened:
    """A document's content: bytes (rendered) or an open binary file, and its file name."""

    filename: str
    data: bytes | None = None
    file: Any = None  # a FieldFile, opened by the caller

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        with self.file.open("rb") as fh:
            return fh.read()


@dataclass(frozen=True)
class Source:
    kind: str
    label: Any  # lazy
    list_for_order: Callable[[Any], Iterable[SourceRecord]]  # order → its records
    open: Callable[..., Opened | None]  # (ref, *, user, lang) → content, None if gone
    order: int = 50


@dataclass(frozen=True)
class UploadKind:
    kind: str
    label: Any
    level: str = Level.INTERNAL  # the level an upload of this kind starts at
    order: int = 50


_SOURCES: dict[str, Source] = {}
_UPLOAD_KINDS: dict[str, UploadKind] = {}


def register_source(source: Source) -> None:
    _SOURCES[source.kind] = source


def register_upload_kind(kind: UploadKind) -> None:
    _UPLOAD_KINDS[kind.kind] = kind


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.kind))


def source_for(kind: str) -> Source | None:
    return _SOURCES.get(kind)


def upload_kinds() -> list[UploadKind]:
    return sorted(_UPLOAD_KINDS.values(), key=lambda k: (k.order, k.kind))


def kind_choices() -> list[tuple[str, Any]]:
    """Every kind a document may have, for filters and labels."""
    seen: dict[str, Any] = {}
    for s in sources():
        seen.setdefault(s.kind, s.label)
    for k in upload_kinds():
        seen.setdefault(k.kind, k.label)
    return list(seen.items())


def kind_label(kind: str) -> Any:
    return dict(kind_choices()).get(kind, kind)


def upload_level(kind: str) -> str:
    k = _UPLOAD_KINDS.get(kind)
    return k.level if k else Level.INTERNAL


def register_upload_kinds() -> None:
    for kind, label, level, order in (
        ("drawing", _("Drawing"), Level.CONFIDENTIAL, 10),
        ("contract", _("Contract"), Level.CONFIDENTIAL, 20),
        ("specification", _("Specification"), Level.INTERNAL, 30),
        ("inspection_report", _("Inspection report"), Level.INTERNAL, 40),
        ("production_plan", _("Production plan"), Level.INTERNAL, 45),
        ("other", _("Other document"), Level.INTERNAL, 90),
    ):
        register_upload_kind(UploadKind(kind, label, level, order))
