"""How large an import sheet may be, checked before it is read (issue 14).

An .xlsx file is a zip archive: 300 KB on the disk can unpack to 100 MB of sheet XML and a million
rows. So the file is checked in steps, each cheap and before the next one costs anything:

1. the size of the upload;
2. the archive's directory: what each part and all parts together unpack to (the sizes the zip
   declares are the ones Python's zipfile enforces while unpacking, so they can be trusted), and
   how many different texts (shared strings) it holds, counted as they stream by;
3. the dimension the sheet declares (`<dimension ref="A1:K1000000"/>`), if it declares one;
4. while the rows are streamed, the row count and the width of each row: a dimension can lie.

Opening a workbook reads only the head of its first sheet (see `_declared_size`), so the cost of
a file that passes steps 1-3 grows with the rows read, and reading stops at the row limit.

The limits are settings (`GENDAN_IMPORT_MAX_*` in the environment) and are stated on every import
page. The page checks steps 1-3 when the file is uploaded, the worker checks them again with step 4.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from .errors import RowError, SheetRejected

# Password-protected .xlsx files and old .xls files are OLE compound documents, not zip archives.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ImportLimits:
    upload_bytes: int
    uncompressed_bytes: int
    rows: int  # data rows, below the header row
    columns: int
    # Different texts of the workbook (its shared strings), all read into memory when it is opened:
    # 50 MB of tiny ones cost 30 s and 250 MB.
    texts: int = 200_000

    @classmethod
    def current(cls) -> ImportLimits:
        return cls(
            upload_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            texts=settings.IMPORT_MAX_SHARED_STRINGS,
        )

    def as_context(self) -> dict[str, Any]:
        """The limits as the import page states them."""
        return {
            "upload": filesizeformat(self.upload_bytes),
            "uncompressed": filesizeformat(self.uncompressed_bytes),
            "rows": self.rows,
            "columns": self.columns,
        }


def rejected(message: str) -> SheetRejected:
    return SheetRejected([RowError(0, "", message)])


def too_many_rows(limit: int, rows: int | None = None) -> SheetRejected:
    if rows is None:
        message = _(
            "The sheet has more than %(limit)s data rows; at most %(limit)s can be imported at once. "
            "Split it into several files."
        ) % {"limit": limit}
    else:
        message = _(
            "The sheet has %(rows)s data rows; at most %(limit)s can be imported at once. "
            "Split it into several files."
        ) % {"rows": rows, "limit": limit}
    return rejected(message)


def too_many_columns(limit: int, columns: int) -> SheetRejected:
    return rejected(
        _("The sheet has %(columns)s columns; at most %(limit)s are accepted.")
        % {"columns": columns, "limit": limit}
    )


def check_size(size: int, limits: ImportLimits) -> None:
    """Step 1: the size of the upload. Raises SheetRejected."""
    if size > limits.upload_bytes:
        raise rejected(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limits.upload_bytes)}
        )


def check_archive(data: bytes, limits: ImportLimits) -> None:
    """Steps 1 and 2: the upload's size, its kind and what it unpacks to. Raises SheetRejected."""
    check_size(len(data), limits)
    if data.startswith(OLE_MAGIC):
        raise rejected(
            _(
                "The file is password-protected or an old Excel file (.xls): save it as an Excel "
                "workbook (.xlsx) without a password and upload it again."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise rejected(_("The file is not an Excel workbook (.xlsx).")) from None
    names = {p.filename for p in parts}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise rejected(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    if any(p.flag_bits & 0x1 for p in parts):
        raise rejected(_("The workbook is encrypted: save it without a password and upload it again."))
    for part in parts:
        if part.file_size > limits.uncompressed_bytes:
            raise rejected(
                _("The part “%(name)s” of the workbook unpacks to %(size)s; the limit is %(limit)s.")
                % {
                    "name": part.filename[:100],
                    "size": filesizeformat(part.file_size),
                    "limit": filesizeformat(limits.uncompressed_bytes),
                }
            )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.uncompressed_bytes:
        raise rejected(
            _("The workbook unpacks to %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limits.uncompressed_bytes)}
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in parts:
            if part.filename.lower().endswith("sharedstrings.xml"):
                _check_texts(archive, part, limits)


# The start of a shared string, <si> or <x:si ...>: counted in the unpacked XML as it streams by.
_TEXT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?si[\s/>]")
_OVERLAP = 40  # longer than any match: a match across two chunks is found in the second


def _check_texts(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: ImportLimits) -> None:
    count = 0
    tail = b""
    try:
        with archive.open(part) as source:
            while chunk := source.read(1 << 20):
                buffer = tail + chunk
                cut = max(len(buffer) - _OVERLAP, 0)
                count += sum(1 for m in _TEXT_START.finditer(buffer) if m.start() < cut)
                tail = buffer[cut:]
                if count > limits.texts:
                    break
            count += len(_TEXT_START.findall(tail))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise rejected(_("The file is not an Excel workbook (.xlsx).")) from None
    if count > limits.texts:
        raise rejected(
            _(
                "The workbook holds more than %(limit)s different texts; at most %(limit)s are accepted. "
                "Split it into several files."
            )
            % {"limit": limits.texts}
        )


def _declared_size(self) -> None:
    """ReadOnlyWorksheet._get_size, reading only the head of the sheet. openpyxl looks for the
    declared dimension until the END of <sheetData>, so a sheet that declares none is parsed
    whole when the workbook is opened: 20 s for 50 MB, before the first row is read. The
    dimension, when there is one, comes before <sheetData>: stop where the data starts."""
    with self._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                self._min_column, self._min_row, self._max_column, self._max_row = SheetDimension.from_tree(
                    element
                ).boundaries
                return
            if element.tag == DATA_TAG:
                return


# Imports are the only reader of workbooks in read-only mode.
ReadOnlyWorksheet._get_size = _declared_size  # type: ignore[method-assign]


def open_first_sheet(data: bytes, limits: ImportLimits):
    """Steps 1-3, then the workbook opened for streaming and its first worksheet, whose declared
    dimension is ignored from here on (the rows are counted as they come). Close the workbook."""
    check_archive(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:
        raise rejected(_("The file is not an Excel workbook (.xlsx).")) from None
    try:
        if not workbook.worksheets:
            raise rejected(_("The sheet is empty."))
        sheet = workbook.worksheets[0]
        check_dimension(sheet, limits)
        # A dimension smaller than the data would make openpyxl leave rows and columns out.
        sheet.reset_dimensions()
    except BaseException:
        workbook.close()
        raise
    return workbook, sheet


def check_dimension(sheet, limits: ImportLimits) -> None:
    """Step 3: the size the sheet declares, if it declares one."""
    max_row, min_row = getattr(sheet, "max_row", None), getattr(sheet, "min_row", 1) or 1
    max_column = getattr(sheet, "max_column", None)
    if max_row and max_row - min_row > limits.rows:
        raise too_many_rows(limits.rows, max_row - min_row)
    if max_column and max_column > limits.columns:
        raise too_many_columns(limits.columns, max_column)


def check_upload_workbook(upload: IO[bytes] | Any, limits: ImportLimits | None = None) -> None:
    """What the import page checks before it stores an upload (steps 1-3). Raises SheetRejected."""
    limits = limits or ImportLimits.current()
    check_size(upload.size, limits)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    workbook, _sheet = open_first_sheet(data, limits)
    workbook.close()
