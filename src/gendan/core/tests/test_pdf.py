"""The PDF toolkit: embedded Chinese font, escaping, page decorations, long tables."""

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from reportlab.pdfbase import pdfmetrics

from gendan.core import pdf, pdf_fonts
from gendan.core.pdf import (
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    QRCode,
    Row,
    Signatures,
    Spacer,
    Table,
    register_cjk_font,
    render_pdf,
)

CHINESE = "客户订单副本 订单号 SO-2026-0001 数量 1,000 件 交货日期 2026-12-31"
PRINTED = dt.datetime(2026, 11, 25, 9, 30)

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
needs_pdftoppm = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")


def _order_copy(**kwargs):
    blocks = [
        Row(
            [
                KeyValues(
                    [
                        ("订单号", "SO-2026-0001"),
                        ("客户", "苏州华东精密机械有限公司"),
                        ("数量", Decimal("1000")),
                        ("交货日期", dt.date(2026, 12, 31)),
                        ("备注", None),
                    ]
                ),
                QRCode("https://gendan.example/orders/SO-2026-0001", caption="扫码查看"),
            ],
            widths=[4, 1],
        ),
        Heading("产品明细"),
        Table(["物料", "描述", "数量"], [["M-001", "冷轧钢板 Q235", 1000]], footer=["合计", "", 1000]),
        Paragraph(CHINESE),
        Spacer(2),
        Signatures(["跟单员", "生产部", "采购部", "质检部"]),
    ]
    return render_pdf(
        title="客户订单副本", blocks=blocks, header_note="SO-2026-0001", printed_at=PRINTED, **kwargs
    )


def _text(pdf_bytes, tmp_path, first=None, last=None):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run([*cmd, str(path), "-"], check=True, capture_output=True)
    # pdftotext's spacing around CJK text and its line breaks are its own: compare without spaces.
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def _squeeze(text):
    return re.sub(r"\s+", "", text)


def _raster(pdf_bytes, tmp_path, name="page"):
    """Page 1 as an 8-bit greyscale raster (PGM): (width, height, pixels)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf_bytes)
    prefix = tmp_path / name
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), str(prefix)],
        check=True,
        capture_output=True,
    )
    data = (tmp_path / f"{name}.pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(m.group(1)), int(m.group(2))
    return width, height, data[m.end() : m.end() + width * height]


def _pages(pdf_bytes):
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf_bytes))


def test_embeds_a_truetype_subset_of_the_chinese_font():
    data = _order_copy()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # embedded TrueType program
    assert b"NotoSansCJKsc-" in data
    assert b"/ToUnicode" in data
    assert b"STSong" not in data
    assert len(data) < 150_000


def test_register_cjk_font_covers_the_text_and_is_cached():
    name = register_cjk_font("跟单员签收")
    assert register_cjk_font("签收跟单员") == name  # same characters, same font
    font = pdfmetrics.getFont(name)
    assert font.face.charWidths[ord("跟")] > 0  # the glyph is in the subset
    assert font.face.charWidths[ord("A")] > 0  # ASCII is always included
    assert register_cjk_font("采购部") != name


def test_font_registry_stays_bounded(monkeypatch):
    monkeypatch.setattr(pdf_fonts, "_MAX_REGISTERED_FONTS", 3)
    names = [register_cjk_font(f"批次{chr(0x4E00 + i)}") for i in range(6)]
    assert len(set(names)) == 6
    ours = [n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("NotoSansCJKsc-")]
    assert len(ours) <= 3
    assert set(names[-3:]) <= set(ours)  # the most recently used ones are kept
    assert register_cjk_font(f"批次{chr(0x4E00 + 5)}") == names[-1]


@needs_pdftotext
def test_chinese_text_round_trips(tmp_path):
    text = _text(_order_copy(), tmp_path)
    assert _squeeze(CHINESE) in text
    for fragment in (
        "客户订单副本",
        "苏州华东精密机械有限公司",
        "跟单员",
        "质检部",
        "第 1 页 / 共 1 页",
        "2026-11-25 09:30",
    ):
        assert _squeeze(fragment) in text


@needs_pdftoppm
def test_chinese_glyphs_are_drawn_not_tofu(tmp_path):
    def page(text, name):
        return _raster(
            render_pdf(title="T", blocks=[Paragraph(text, size=28)], printed_at=PRINTED), tmp_path, name
        )[2]

    real = page("客户订单副本交货日期", "real")
    boxes = page("□" * 10, "boxes")  # what a missing font would look like, at best
    blank = page("", "blank")
    dark = sum(1 for p in real if p < 128) - sum(1 for p in blank if p < 128)
    assert dark > 300  # glyphs were drawn
    differing = sum(1 for a, b in zip(real, boxes, strict=True) if abs(a - b) > 64)
    assert differing > 300  # and they are not all the same box


@needs_pdftoppm
def test_qr_code_is_drawn(tmp_path):
    blank = _raster(render_pdf(title="QR", blocks=[], printed_at=PRINTED), tmp_path, "blank")[2]
    qr = _raster(
        render_pdf(title="QR", blocks=[QRCode("SO-2026-0001", size=40)], printed_at=PRINTED), tmp_path, "qr"
    )[2]
    assert sum(1 for p in qr if p < 128) - sum(1 for p in blank if p < 128) > 1000


@needs_pdftotext
def test_user_text_is_never_markup(tmp_path):
    evil = 'x<b>&amp; <font size="40">big</font> & 5 < 6 <br/>'
    data = render_pdf(
        title="<i>标题</i> & co",
        header_note="<b>",
        blocks=[
            Heading(evil),
            Paragraph(evil),
            KeyValues([("<u>", evil)]),
            Table(["<b>列</b>"], [[evil]]),
            Signatures(["<b>质检</b>"]),
            QRCode("x", caption=evil),
        ],
        printed_at=PRINTED,
    )
    text = _text(data, tmp_path)
    assert text.count(_squeeze(evil)) == 5
    for literal in ("<i>标题</i> & co", "<b>列</b>", "<b>质检</b>", "<u>"):
        assert _squeeze(literal) in text


def test_markup_escaping():
    assert pdf._markup("a<b>&c\nd") == "a&lt;b&gt;&amp;c<br/>d"
    assert pdf._markup(None) == ""
    assert pdf._markup(12) == "12"


@needs_pdftotext
def test_long_tables_break_across_pages_with_the_header_repeated(tmp_path):
    rows = [[i, f"物料-{i:03d}", "很长的描述文字，" * (i % 4 + 1), f"{i * 10:,}"] for i in range(150)]
    data = render_pdf(
        title="采购订单",
        blocks=[Table(["序号", "物料编码", "描述", "数量"], rows, col_widths=[1, 2, 6, 2])],
        printed_at=PRINTED,
    )
    pages = _pages(data)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = _text(data, tmp_path, first=page)
        assert "物料编码" in text
        assert f"第{page}页/共{pages}页" in text
    assert "物料-149" in _text(data, tmp_path, first=pages)


def test_page_breaks_and_page_count():
    data = render_pdf(
        title="工单", blocks=[Paragraph("一"), PageBreak(), Paragraph("二")], printed_at=PRINTED
    )
    assert _pages(data) == 2


@needs_pdftotext
def test_english_labels(tmp_path):
    data = render_pdf(title="Job traveller 工单", blocks=[Paragraph("Hello")], lang="en", printed_at=PRINTED)
    text = _text(data, tmp_path)
    assert "Page1/1" in text
    assert "Printed:2026-11-2509:30" in text


@needs_pdftotext
def test_labels_can_be_overridden(tmp_path):
    data = render_pdf(
        title="T", blocks=[], labels={"page": "P{page}/{pages}", "printed": "@{time}"}, printed_at=PRINTED
    )
    text = _text(data, tmp_path)
    assert "P1/1" in text
    assert "@2026-11-2509:30" in text


def test_unknown_blocks_are_rejected():
    with pytest.raises(TypeError):
        render_pdf(title="T", blocks=["not a block"])


def test_empty_document_renders():
    assert _pages(render_pdf(title="空", blocks=[])) == 1
