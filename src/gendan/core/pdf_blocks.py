"""The blocks a PDF is built of (what callers of core.pdf build): headings, paragraphs, key-value
grids, tables, QR codes, signatures, rows of blocks; and the texts each holds (for the font subset)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def plain_text(value) -> str:
    """Display text for a cell value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = section, 2 = sub-section

    def texts(self):
        yield plain_text(self.text)


@dataclass(frozen=True)
class Paragraph:
    text: str
    size: float | None = None  # points; default body size
    align: str = "left"  # left / center / right
    muted: bool = False  # grey, for notes and remarks

    def texts(self):
        yield plain_text(self.text)


@dataclass(frozen=True)
class KeyValues:
    """Label/value pairs as an info table: ``columns`` pairs per row (2 → a four-column table)."""

    items: list
    columns: int = 2

    def texts(self):
        for label, value in self.items:
            yield plain_text(label)
            yield plain_text(value)


@dataclass(frozen=True)
class Table:
    """A data table; the header row repeats on every page, long cell text wraps.

    ``col_widths``: relative weights (e.g. ``[1, 4, 1, 1]``) scaled to the available width;
    by default derived from the content. ``align``: per column "left"/"right"/"center" (or a
    string like ``"llrr"``); by default numeric columns are right-aligned. ``footer``: an
    optional totals row, shaded like the header.
    """

    headers: list
    rows: list
    col_widths: list | None = None
    align: list | str | None = None
    footer: list | None = None

    def texts(self):
        for row in [self.headers, *self.rows, self.footer or []]:
            for cell in row:
                yield plain_text(cell)


@dataclass(frozen=True)
class QRCode:
    data: str
    caption: str = ""
    size: float = 28  # mm
    align: str = "right"  # left / center / right

    def texts(self):
        yield plain_text(self.caption)


@dataclass(frozen=True)
class Spacer:
    height: float = 4  # mm

    def texts(self):
        return iter(())


@dataclass(frozen=True)
class PageBreak:
    def texts(self):
        return iter(())


@dataclass(frozen=True)
class Signatures:
    """Sign-off boxes, e.g. ``Signatures(["跟单员", "生产部", "采购部", "质检部"])``."""

    labels: list
    per_row: int = 4

    def texts(self):
        for label in self.labels:
            yield plain_text(label)


@dataclass(frozen=True)
class Row:
    """Blocks side by side, e.g. ``Row([KeyValues(...), QRCode(...)], widths=[4, 1])``."""

    blocks: list
    widths: list | None = None  # relative weights; equal by default
    gap: float = 4  # mm between columns

    def texts(self):
        for block in self.blocks:
            yield from texts_of(block)


_BLOCK_TYPES = (Heading, Paragraph, KeyValues, Table, QRCode, Spacer, PageBreak, Signatures, Row)


def texts_of(block):
    if not isinstance(block, _BLOCK_TYPES):
        raise TypeError(f"unsupported PDF block: {block!r}")
    return block.texts()
