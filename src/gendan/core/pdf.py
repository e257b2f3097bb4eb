"""A small PDF toolkit for factory documents (order copies, purchase orders, job travellers).

Callers describe a document as a list of simple blocks and never touch reportlab::

    pdf_bytes = render_pdf(
        title="客户订单副本",
        header_note="SO-2026-0001",
        blocks=[
            KeyValues([("订单号", "SO-2026-0001"), ("客户", "华东机械"), ("交货日期", "2026-12-31")]),
            Table(["物料", "规格", "数量"], [["齿轮", "M2 Z40", 1000]]),
            QRCode("https://gendan.example/o/1", caption="扫码查看订单"),
            Signatures(["跟单员", "生产部", "采购部", "质检部"]),
        ],
    )

All text is user text: it is escaped, never interpreted as markup.

Fonts: reportlab's built-in Chinese font (STSong-Light) is not embedded, so a machine without
Chinese fonts shows empty boxes. We embed Noto Sans CJK SC (SIL OFL, Python package
``noto-cjk-sans-otc``). Its outlines are CFF, which reportlab cannot embed, so the glyphs a
document needs are converted to TrueType (quadratic) outlines with fontTools' cu2qu, assembled
into a small TrueType font and registered with reportlab, which embeds it as a subset with a
ToUnicode map (so text can be copied and searched). Converted glyphs are memoised per process
and the registered fonts are kept in a small LRU, so a document only pays for glyphs that no
earlier document used.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate
from reportlab.platypus import PageBreak as _RLPageBreak
from reportlab.platypus import Paragraph as _RLParagraph
from reportlab.platypus import Spacer as _RLSpacer
from reportlab.platypus import Table as _RLTable
from reportlab.platypus import TableStyle as _RLTableStyle

from .pdf_blocks import (
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    QRCode,
    Row,
    Signatures,
    Spacer,
    Table,
    plain_text,
    texts_of,
)
from .pdf_fonts import leased_font, register_cjk_font
from .pdf_labels import page_labels, print_time

__all__ = [
    "Heading",
    "KeyValues",
    "PageBreak",
    "Paragraph",
    "QRCode",
    "Row",
    "Signatures",
    "Spacer",
    "Table",
    "register_cjk_font",
    "render_pdf",
]

# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 24 * mm  # room for the page header
MARGIN_BOTTOM = 16 * mm  # room for the footer

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
RULE = colors.HexColor("#9AA5B1")
ACCENT = colors.HexColor("#1F4E79")
LABEL_BG = colors.HexColor("#EEF1F5")
HEADER_BG = colors.HexColor("#DCE3EB")
ZEBRA_BG = colors.HexColor("#F7F9FB")

BODY_SIZE = 9.5
_NUMERIC = re.compile(r"^[-+]?[¥￥$]?\d[\d,]*(\.\d+)?\s*%?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _markup(text) -> str:
    """User text → safe platypus markup (escaped; newlines become line breaks)."""
    text = _CONTROL.sub("", plain_text(text).replace("\r\n", "\n").replace("\t", "    "))
    return "<br/>".join(escape(line) for line in text.split("\n"))


class _Styles:
    def __init__(self, font: str):
        self.font = font
        common = {"fontName": font, "bulletFontName": font, "textColor": INK, "wordWrap": "CJK"}
        self.body = ParagraphStyle("body", fontSize=BODY_SIZE, leading=BODY_SIZE * 1.5, **common)
        self.cell = ParagraphStyle("cell", fontSize=9, leading=12.5, **common)
        self.label = ParagraphStyle("label", parent=self.cell, textColor=MUTED)
        self.h1 = ParagraphStyle("h1", fontSize=12, leading=16, **{**common, "textColor": ACCENT})
        self.h2 = ParagraphStyle("h2", fontSize=10.5, leading=14, **common)
        self.caption = ParagraphStyle(
            "caption", fontSize=7.5, leading=10, alignment=TA_CENTER, **{**common, "textColor": MUTED}
        )

    def paragraph(self, text, style, align=None, **changes):
        if align or changes:
            alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}.get(align, style.alignment)
            style = ParagraphStyle(style.name + "x", parent=style, alignment=alignment, **changes)
        return _RLParagraph(_markup(text), style)


class _FauxBold(Flowable):
    """Draws a paragraph with fill + thin stroke: the font package has no bold face."""

    def __init__(self, paragraph: _RLParagraph, weight: float = 0.035):
        super().__init__()
        self.paragraph = paragraph
        self.weight = weight

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.paragraph.wrap(avail_width, avail_height)
        return self.width, self.height

    def getSpaceBefore(self):
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self):
        return self.paragraph.getSpaceAfter()

    def draw(self):
        style = self.paragraph.style
        self.canv.saveState()
        self.canv.setStrokeColor(style.textColor)
        self.canv.setLineWidth(style.fontSize * self.weight)
        self.canv.addLiteral("2 Tr")
        self.paragraph.drawOn(self.canv, 0, 0)
        self.canv.restoreState()


class _HeadingFlowable(Flowable):
    def __init__(self, paragraph: _RLParagraph, level: int):
        super().__init__()
        self.inner = _FauxBold(paragraph)
        self.level = level
        self.pad = 2 if level == 1 else 1

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        _, h = self.inner.wrap(avail_width - (3 * mm if self.level == 1 else 0), avail_height)
        self.height = h + 2 * self.pad
        return self.width, self.height

    def getSpaceBefore(self):
        return 3 * mm if self.level == 1 else 2 * mm

    def getSpaceAfter(self):
        return 1.5 * mm

    def draw(self):
        c = self.canv
        if self.level == 1:
            c.setFillColor(ACCENT)
            c.rect(0, 0, 1.2 * mm, self.height, stroke=0, fill=1)
            c.setStrokeColor(RULE)
            c.setLineWidth(0.5)
            c.line(0, 0, self.width, 0)
            self.inner.drawOn(c, 3 * mm, self.pad)
        else:
            self.inner.drawOn(c, 0, self.pad)


class _QRFlowable(Flowable):
    """A vector QR code (crisp at any resolution, no raster image in the PDF)."""

    def __init__(self, data: str, size: float, caption, align: str, styles: _Styles):
        super().__init__()
        import qrcode

        qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
        qr.add_data(data)
        qr.make(fit=True)
        self.matrix = qr.get_matrix()
        self.size = size
        self.hAlign = {"left": "LEFT", "center": "CENTER"}.get(align, "RIGHT")
        self.caption = styles.paragraph(caption, styles.caption) if plain_text(caption) else None
        self.caption_h = 0

    def wrap(self, avail_width, avail_height):
        self.width = min(self.size, avail_width)
        if self.caption is not None:
            _, self.caption_h = self.caption.wrap(max(self.width, 30 * mm), avail_height)
            self.width = max(self.width, min(30 * mm, avail_width))
        self.height = min(self.size, self.width) + (self.caption_h + 1 * mm if self.caption else 0)
        return self.width, self.height

    def draw(self):
        c = self.canv
        side = min(self.size, self.width)
        n = len(self.matrix)
        module = side / n
        x0 = (self.width - side) / 2
        y0 = self.height - side
        c.setFillColor(colors.black)
        path = c.beginPath()
        for r, row in enumerate(self.matrix):
            y = y0 + side - (r + 1) * module
            start = None
            for col, dark in enumerate([*row, False]):
                if dark and start is None:
                    start = col
                elif not dark and start is not None:
                    # a hair of overlap avoids hairline gaps between modules in some viewers
                    path.rect(x0 + start * module, y, (col - start) * module + 0.01, module + 0.01)
                    start = None
        c.drawPath(path, stroke=0, fill=1)
        if self.caption is not None:
            self.caption.wrap(self.width, self.caption_h)
            self.caption.drawOn(c, 0, 0)


def _auto_widths(columns: list[list[str]], font: str, avail: float) -> list[float]:
    """Content-based column widths that fill ``avail`` (long text columns get the slack)."""
    natural = []
    for col in columns:
        longest = max(
            (pdfmetrics.stringWidth(line, font, 9) for cell in col for line in cell.split("\n")), default=0
        )
        natural.append(min(max(longest + 9, 12 * mm), 80 * mm))
    total = sum(natural)
    if total <= avail:
        return [w * avail / total for w in natural]
    # Too wide: keep narrow columns as they are and share the rest among the wide ones.
    fair = avail / len(natural)
    narrow = [w for w in natural if w <= fair]
    wide_total = total - sum(narrow)
    room = avail - sum(narrow)
    return [w if w <= fair else w * room / wide_total for w in natural]


class _Builder:
    def __init__(self, styles: _Styles, labels: dict):
        self.st = styles
        self.labels = labels

    def flowables(self, blocks, width: float) -> list:
        out = []
        for block in blocks:
            out.extend(self.block(block, width))
        return out

    def block(self, block, width: float) -> list:
        st = self.st
        if isinstance(block, Heading):
            style = st.h1 if block.level <= 1 else st.h2
            return [_HeadingFlowable(st.paragraph(block.text, style), block.level)]
        if isinstance(block, Paragraph):
            changes = {}
            if block.size:
                changes = {"fontSize": block.size, "leading": block.size * 1.5}
            if block.muted:
                changes["textColor"] = MUTED
            p = st.paragraph(block.text, st.body, align=block.align, spaceAfter=1.5 * mm, **changes)
            return [p]
        if isinstance(block, KeyValues):
            return [self.key_values(block, width)]
        if isinstance(block, Table):
            return [self.table(block, width)]
        if isinstance(block, QRCode):
            return [_QRFlowable(block.data, block.size * mm, block.caption, block.align, st)]
        if isinstance(block, Spacer):
            return [_RLSpacer(1, block.height * mm)]
        if isinstance(block, PageBreak):
            return [_RLPageBreak()]
        if isinstance(block, Signatures):
            return [self.signatures(block, width)]
        if isinstance(block, Row):
            return [self.row(block, width)]
        raise TypeError(f"unsupported PDF block: {block!r}")

    def key_values(self, block: KeyValues, width: float):
        st = self.st
        pairs = max(1, block.columns)
        items = list(block.items)
        label_w = min(
            max([pdfmetrics.stringWidth(plain_text(k), st.font, 9) + 10 for k, _ in items] + [18 * mm]),
            34 * mm,
        )
        value_w = (width - pairs * label_w) / pairs
        data = []
        for i in range(0, len(items), pairs):
            row = []
            for label, value in items[i : i + pairs]:
                row += [st.paragraph(label, st.label), st.paragraph(value, st.cell)]
            row += [""] * (2 * pairs - len(row))
            data.append(row)
        if not data:
            return _RLSpacer(1, 0)
        table = _RLTable(data, colWidths=[label_w, value_w] * pairs, hAlign="LEFT")
        cmds = [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        cmds += [("BACKGROUND", (2 * p, 0), (2 * p, -1), LABEL_BG) for p in range(pairs)]
        table.setStyle(_RLTableStyle(cmds))
        table.spaceAfter = 2 * mm
        return table

    def table(self, block: Table, width: float):
        st = self.st
        ncols = max(len(r) for r in [block.headers, *block.rows, block.footer or []])
        if not ncols:
            return _RLSpacer(1, 0)

        def pad(row):
            return [plain_text(c) for c in row] + [""] * (ncols - len(row))

        headers = pad(block.headers)
        rows = [pad(row) for row in block.rows]
        footer = pad(block.footer) if block.footer else None
        columns = [
            [headers[i]] + [r[i] for r in rows] + ([footer[i]] if footer else []) for i in range(ncols)
        ]

        if block.col_widths:
            weights = [float(w) for w in block.col_widths]
            col_widths = [w * width / sum(weights) for w in weights]
        else:
            col_widths = _auto_widths(columns, st.font, width)

        if isinstance(block.align, str):
            names = {"l": "left", "r": "right", "c": "center"}
            aligns = [names.get(ch, "left") for ch in block.align.lower()]
        else:
            aligns = list(block.align or [])
        for i in range(len(aligns), ncols):
            values = [v for v in columns[i][1:] if v.strip()]
            aligns.append("right" if values and all(_NUMERIC.match(v.strip()) for v in values) else "left")

        def cells(row, header=False):
            out = []
            for i, text in enumerate(row):
                p = st.paragraph(text, st.cell, align=aligns[i] if not header else "center")
                out.append(_FauxBold(p) if header else p)
            return out

        data = [cells(headers, header=True)] + [cells(r) for r in rows]
        if footer:
            data.append([_FauxBold(p) for p in cells(footer)])
        table = _RLTable(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
        cmds = [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if len(rows) > 2:
            cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, len(rows)), [colors.white, ZEBRA_BG]))
        if footer:
            cmds.append(("BACKGROUND", (0, -1), (-1, -1), LABEL_BG))
        table.setStyle(_RLTableStyle(cmds))
        table.spaceAfter = 2 * mm
        return table

    def signatures(self, block: Signatures, width: float):
        st = self.st
        per_row = max(1, min(block.per_row, len(block.labels) or 1))
        gap = 4 * mm
        box_w = (width - gap * (per_row - 1)) / per_row
        sign_style = ParagraphStyle("sign", parent=st.caption, alignment=TA_LEFT)
        data = []
        for i in range(0, len(block.labels), per_row):
            row = []
            for label in block.labels[i : i + per_row]:
                box = _RLTable(
                    [
                        [_FauxBold(st.paragraph(label, st.cell))],
                        [""],
                        [st.paragraph(self.labels["signature"], sign_style)],
                    ],
                    colWidths=[box_w],
                    rowHeights=[None, 13 * mm, None],
                )
                box.setStyle(
                    _RLTableStyle(
                        [
                            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
                            ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
                            ("LEFTPADDING", (0, 0), (-1, -1), 5),
                            ("TOPPADDING", (0, 0), (-1, -1), 3),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                        ]
                    )
                )
                row.append(box)
            row += [""] * (per_row - len(row))
            data.append(row)
        if not data:
            return _RLSpacer(1, 0)
        outer = _RLTable(data, colWidths=[box_w + gap] * (per_row - 1) + [box_w], hAlign="LEFT")
        outer.setStyle(
            _RLTableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-2, -1), gap),
                    ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return KeepTogether([_RLSpacer(1, 3 * mm), outer])

    def row(self, block: Row, width: float):
        n = len(block.blocks)
        if not n:
            return _RLSpacer(1, 0)
        gap = block.gap * mm
        weights = [float(w) for w in (block.widths or [1] * n)]
        inner = width - gap * (n - 1)
        widths = [w * inner / sum(weights) for w in weights]
        cells = [self.block(b, w) for b, w in zip(block.blocks, widths, strict=True)]
        table = _RLTable([cells], colWidths=[w + gap for w in widths[:-1]] + [widths[-1]], hAlign="LEFT")
        table.setStyle(
            _RLTableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-2, -1), gap),
                    ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        table.spaceAfter = 2 * mm
        return table


def _page_canvas(decorate):
    """A canvas that knows the page count when drawing headers/footers ("page X / Y")."""

    class _Canvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_states = []

        def showPage(self):
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                decorate(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return _Canvas


def render_pdf(
    *,
    title: str,
    blocks: list,
    lang: str = "zh-hans",
    header_note: str = "",
    labels: dict | None = None,
    printed_at: dt.datetime | None = None,
) -> bytes:
    """Render an A4 portrait PDF: page header (title, optional ``header_note`` on the right,
    e.g. the order number), the blocks, and a footer with the print time and "page X / Y".

    ``lang`` selects footer wording ("zh-hans" → 第 X 页 / 共 Y 页); ``labels`` overrides the
    keys "page" ({page}, {pages}), "printed" ({time}) and "signature".
    """
    labels = page_labels(lang, labels)
    printed = (printed_at or print_time()).strftime("%Y-%m-%d %H:%M")
    title, header_note = plain_text(title), plain_text(header_note)
    printed_text = labels["printed"].format(time=printed)

    texts = [title, header_note, printed_text, labels["page"], labels["signature"]]
    for block in blocks:
        texts.extend(texts_of(block))

    with leased_font("".join(texts)) as font:
        styles = _Styles(font)
        width = PAGE_WIDTH - 2 * MARGIN_X
        story = _Builder(styles, labels).flowables(blocks, width)
        if not story:
            story = [_RLSpacer(1, 1)]

        def decorate(c, page: int, pages: int):
            c.saveState()
            top = PAGE_HEIGHT - 12 * mm
            # header: title left, note right, rule below
            c.setFillColor(INK)
            c.setStrokeColor(INK)
            c.setLineWidth(0.45)
            c.setFont(font, 15)
            note_w = pdfmetrics.stringWidth(header_note, font, 10) if header_note else 0
            c.addLiteral("2 Tr")
            c.drawString(MARGIN_X, top - 4, _fit(title, font, 15, width - note_w - 8 * mm))
            c.addLiteral("0 Tr")
            if header_note:
                c.setFont(font, 10)
                c.setFillColor(MUTED)
                c.drawRightString(PAGE_WIDTH - MARGIN_X, top - 3, header_note)
            c.setStrokeColor(ACCENT)
            c.setLineWidth(1.2)
            c.line(MARGIN_X, top - 9, PAGE_WIDTH - MARGIN_X, top - 9)
            # footer: print time left, page X / Y right, rule above
            bottom = 9 * mm
            c.setStrokeColor(RULE)
            c.setLineWidth(0.5)
            c.line(MARGIN_X, bottom + 10, PAGE_WIDTH - MARGIN_X, bottom + 10)
            c.setFont(font, 8)
            c.setFillColor(MUTED)
            c.drawString(MARGIN_X, bottom, printed_text)
            c.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, labels["page"].format(page=page, pages=pages))
            c.restoreState()

        out = io.BytesIO()
        doc = BaseDocTemplate(
            out,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            creator="Gendan",
            lang="zh-CN" if lang.lower().startswith("zh") else lang,
            pageCompression=1,
            initialFontName=font,
            initialFontSize=BODY_SIZE,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            width,
            PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(story, canvasmaker=_page_canvas(decorate))
        return out.getvalue()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so that it fits ``width``."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
