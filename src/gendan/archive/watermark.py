"""The watermark on a confidential document as it leaves the archive (R-6.3): the reader's name and
the time on every page of a PDF (a stamp page drawn with reportlab, merged onto each page with
pypdf), or across an image (Pillow). Other files go out as they are: the log still records them."""

from __future__ import annotations

import io
import logging
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

from gendan.core.pdf import register_cjk_font

logger = logging.getLogger(__name__)


def watermark_text(*, name: str, when: str) -> str:
    return f"{name} · {when}"


def _stamp(text: str, width: float, height: float) -> PdfReader:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    font = register_cjk_font(text)
    c.setFillColor(Color(0.6, 0.1, 0.1, alpha=0.25))
    size = max(10.0, min(width, height) / 22)
    c.setFont(font, size)
    c.saveState()
    c.translate(width / 2, height / 2)
    c.rotate(35)
    for dy in (-height / 3, 0, height / 3):
        c.drawCentredString(0, dy, text)
    c.restoreState()
    c.setFillColor(Color(0.6, 0.1, 0.1, alpha=0.6))
    c.setFont(font, 7)
    c.drawString(12, 8, text)
    c.save()
    buf.seek(0)
    return PdfReader(buf)


def watermark_pdf(data: bytes, text: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stamps: dict[tuple[float, float], Any] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = _stamp(text, *size).pages[0]
        page.merge_page(stamps[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def watermark_image(data: bytes, text: str, fmt: str) -> bytes:
    image = Image.open(io.BytesIO(data))
    image.load()
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    size = max(12, min(base.size) // 20)
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # older Pillow
        font = ImageFont.load_default()
    step = max(size * 4, base.size[1] // 5)
    for y in range(0, base.size[1], step):
        draw.text((size, y), text, fill=(160, 20, 20, 110), font=font)
    out = io.BytesIO()
    merged = Image.alpha_composite(base, layer)
    if fmt.upper() in ("JPEG", "JPG"):
        merged.convert("RGB").save(out, "JPEG", quality=90)
    else:
        merged.save(out, "PNG")
    return out.getvalue()


def watermark(data: bytes, filename: str, text: str) -> bytes:
    """The file with the watermark where we know how to draw one; unchanged otherwise (or when the
    file cannot be read as what its name says)."""
    name = filename.lower()
    try:
        if name.endswith(".pdf"):
            return watermark_pdf(data, text)
        if name.endswith((".png", ".jpg", ".jpeg")):
            return watermark_image(data, text, "JPEG" if name.endswith(("jpg", "jpeg")) else "PNG")
    except Exception:  # a broken upload still goes out (logged), never a server error
        logger.warning("could not watermark %s", filename, exc_info=True)
    return data
