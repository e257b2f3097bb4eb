"""Writing sheets: exports, and the import templates with their instructions sheet.

Export escapes text that a spreadsheet would run as a formula (= + - @ at the start), and writes the
same columns as the import, so an export can be edited in Excel and imported back.
"""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import Column, escape_cell

if TYPE_CHECKING:
    from .upsert import ImportSpec


def _sheet_value(value: Any) -> Any:
    """What a cell can hold: Excel has no time zones, so a moment is written in the factory's local
    time (a stored UTC time would read 8 hours off in Shanghai)."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_workbook(
    title: str, headers: list[str], rows: Iterable[Iterable[Any]], notes: list[str] | None = None
) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31] or "Sheet1"
    ws.append([str(h) for h in headers])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = [escape_cell(_sheet_value(v)) for v in row]
        ws.append(values)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2 if v is not None else 0))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    if notes:
        info = wb.create_sheet(_("Instructions")[:31])
        for line in notes:
            info.append([str(line)])
        info.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_report(title: str, headers: list[str], rows: Iterable[Iterable[Any]]):
    """A list as a sheet, written row by row in openpyxl's write-only mode (memory stays flat however
    long the list) into a temporary file, returned at its start for the response to stream."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Sheet1")
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        # Write-only sheets cannot be measured afterwards: the header sets the width.
        ws.column_dimensions[get_column_letter(i)].width = min(40, max(10, len(str(header)) * 2))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=str(header))
        cell.font, cell.fill = bold, fill
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append([escape_cell(_sheet_value(v)) for v in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the streaming response closes it when sent)
    wb.save(out)
    out.seek(0)
    return out


def export_value(column: Column, obj: models.Model) -> Any:
    if column.export:
        return column.export(obj)
    value = getattr(obj, column.name)
    if column.kind == "fk":
        return getattr(value, column.fk_field) if value is not None else None
    if column.kind == "m2m":
        return ",".join(getattr(o, column.fk_field) for o in value.all())
    if column.kind == "choice":
        return str(dict(column.choices.choices).get(value, value)) if value else ""
    if column.kind == "bool":
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def export_spec(spec: ImportSpec, objects: Iterable[models.Model]) -> bytes:
    headers = [str(c.label) for c in spec.columns]
    rows = ([export_value(c, obj) for c in spec.columns] for obj in objects)
    return write_workbook(str(spec.title or spec.key), headers, rows)


def template_for(spec: ImportSpec) -> bytes:
    notes = [_("Fill one row per record below the header row. Do not rename the headers.")]
    notes.append(_("Rows whose key already exists update that record; other rows create new records."))
    notes.append(_("The import is all-or-nothing: if any row has a problem, nothing is changed."))
    for c in spec.columns:
        line = f"{c.label}: " + (_("required") if c.required else _("optional"))
        if c.kind == "choice" and c.choices:
            line += " — " + _("one of") + ": " + " / ".join(f"{v} ({lbl})" for v, lbl in c.choices.choices)
        elif c.kind == "fk":
            line += " — " + _("code of an existing record")
        elif c.kind == "m2m":
            line += " — " + _("codes separated by commas")
        elif c.kind == "bool":
            line += " — " + _("yes / no")
        elif c.kind == "date":
            line += " — YYYY-MM-DD"
        elif c.kind == "time":
            line += " — HH:MM"
        if c.help:
            line += f" ({c.help})"
        notes.append(line)
    return write_workbook(str(spec.title or spec.key), [str(c.label) for c in spec.columns], [], notes)
