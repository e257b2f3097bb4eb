"""The CJK font of Gendan's PDFs: Noto Sans CJK from an installed package, subset per document
(only the characters it uses, converted to TrueType outlines) and registered with reportlab, so
Chinese shows on a machine with no Chinese fonts installed."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import Counter, OrderedDict
from contextlib import contextmanager
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Always part of every font subset, so that most documents share a cache key for these and the
# page decorations never miss a glyph.
_BASE_CHARS = frozenset(
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕—–…·•￥¥％～×÷±°℃№§©®™→←↑↓√"
    + "□■○●☐☑✓✔"
    + "\u00a0\u3000"
    + "第页共打印时间签字日期"
)
_MAX_REGISTERED_FONTS = 32
_CU2QU_MAX_ERR = 1.0  # font units (1000/em): invisible at any print size

_lock = threading.RLock()
_registered: OrderedDict[frozenset[str], str] = OrderedDict()
_leases: Counter[str] = Counter()


def _font_path():
    """Path of the Noto Sans CJK collection inside the installed package (no hard-coded venv)."""
    from importlib.resources import files

    return files("noto_cjk_sans_otc").joinpath("NotoSansCJK-Regular.ttc")


class _SourceFace:
    """The Simplified Chinese face of the Noto CJK collection, loaded once per process."""

    def __init__(self):
        from fontTools.ttLib import TTCollection

        path = _font_path()
        with path.open("rb") as fh:
            collection = TTCollection(fh, lazy=True)
            font = None
            for face in collection.fonts:
                family = face["name"].getDebugName(1) or ""
                # "Noto Sans CJK SC" (not the Mono variant, not JP/KR/TC/HK)
                if re.search(r"\bSC\b", family) and "Mono" not in family:
                    font = face
                    break
            if font is None:  # pragma: no cover - depends on the package contents
                raise RuntimeError(f"Noto Sans CJK SC face not found in {path}")
            # Load everything we need while the file is open; later glyph drawing works on the
            # in-memory CFF table (safe across threads and forked worker processes).
            self.cmap = font.getBestCmap()
            self.hmtx = font["hmtx"].metrics
            self.glyphset = font.getGlyphSet()
            self.notdef = font.getGlyphOrder()[0]
            self.units_per_em = font["head"].unitsPerEm
            hhea, os2, name = font["hhea"], font["OS/2"], font["name"]
            self.ascent, self.descent, self.line_gap = hhea.ascent, hhea.descent, hhea.lineGap
            self.os2 = {
                "sTypoAscender": os2.sTypoAscender,
                "sTypoDescender": os2.sTypoDescender,
                "sTypoLineGap": os2.sTypoLineGap,
                "usWinAscent": os2.usWinAscent,
                "usWinDescent": os2.usWinDescent,
                "sxHeight": getattr(os2, "sxHeight", 0),
                "sCapHeight": getattr(os2, "sCapHeight", 0),
                "fsType": 0,  # OFL: installable embedding
            }
            self.family = name.getDebugName(1)
            self.copyright = name.getDebugName(0) or ""
            self.license = name.getDebugName(13) or ""
            self.license_url = name.getDebugName(14) or ""
            # Decompile the CFF table now (its bytes are read eagerly).
            font["CFF "].cff  # noqa: B018
        self._converted: dict[str, tuple[bytes, int, int]] = {}

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap

    def _converted_glyph(self, glyph_name: str) -> tuple[bytes, int, int]:
        """TrueType glyph data, advance width and left side bearing for a source glyph."""
        cached = self._converted.get(glyph_name)
        if cached is None:
            from fontTools.pens.cu2quPen import Cu2QuPen
            from fontTools.pens.ttGlyphPen import TTGlyphPen

            pen = TTGlyphPen(None)
            # CFF contours run counter-clockwise, TrueType ones clockwise.
            self.glyphset[glyph_name].draw(Cu2QuPen(pen, _CU2QU_MAX_ERR, reverse_direction=True))
            glyph = pen.glyph()
            glyph.recalcBounds(None)
            lsb = glyph.xMin if glyph.numberOfContours else 0
            data = glyph.compile(None, recalcBBoxes=False)
            cached = self._converted[glyph_name] = (data, self.hmtx[glyph_name][0], lsb)
        return cached

    def build_ttf(self, chars: frozenset[str], ps_name: str) -> bytes:
        """A TrueType font containing just ``chars`` (those this face covers)."""
        from fontTools.fontBuilder import FontBuilder
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        order = [self.notdef]
        cmap: dict[int, str] = {}
        for char in sorted(chars):
            glyph_name = self.cmap.get(ord(char))
            if glyph_name is None:
                continue
            cmap[ord(char)] = glyph_name
            if glyph_name not in order:
                order.append(glyph_name)
        glyphs, metrics = {}, {}
        for glyph_name in order:
            data, advance, lsb = self._converted_glyph(glyph_name)
            glyph = glyphs[glyph_name] = Glyph(data)
            glyph.expand(None)  # simple glyphs only (no composites in a CFF-derived font)
            metrics[glyph_name] = (advance, lsb)

        fb = FontBuilder(self.units_per_em, isTTF=True)
        fb.setupGlyphOrder(order)
        fb.setupCharacterMap(cmap)
        fb.setupGlyf(glyphs)
        fb.setupHorizontalMetrics(metrics)
        fb.setupHorizontalHeader(ascent=self.ascent, descent=self.descent, lineGap=self.line_gap)
        fb.setupNameTable(
            {
                "familyName": self.family,
                "styleName": "Regular",
                "uniqueFontIdentifier": ps_name,
                "fullName": f"{self.family} Regular",
                "psName": ps_name,
                "copyright": self.copyright,
                "licenseDescription": self.license,
                "licenseInfoURL": self.license_url,
            },
            mac=False,
        )
        fb.setupOS2(**self.os2)
        fb.setupPost(keepGlyphNames=False)
        out = io.BytesIO()
        fb.save(out)
        return out.getvalue()


@lru_cache(maxsize=1)
def _source_face() -> _SourceFace:
    return _SourceFace()


def _unregister(name: str) -> None:
    """Best-effort removal of one of our fonts from reportlab's registries."""
    from reportlab.lib import fonts as rl_fonts

    pdfmetrics._fonts.pop(name, None)
    pdfmetrics._dynFaceNames.pop(name, None)
    for bold in (0, 1):
        for italic in (0, 1):
            rl_fonts._tt2ps_map.pop((name.lower(), bold, italic), None)
    rl_fonts._ps2tt_map.pop(name.lower(), None)


def _register(text: str) -> str:
    with _lock:
        face = _source_face()
        # Characters the face lacks render as .notdef anyway: leave them out of the cache key.
        key = frozenset(c for c in _BASE_CHARS.union(text) if face.covers(c))
        name = _registered.get(key)
        if name is not None:
            _registered.move_to_end(key)
            return name
        digest = hashlib.sha1("".join(sorted(key)).encode("utf-8")).hexdigest()[:12]
        # Unique per character set: reportlab shares fonts registered under the same face name.
        name = f"NotoSansCJKsc-{digest}"
        data = face.build_ttf(key, ps_name=name)
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
        _registered[key] = name
        # Keep the registry bounded in a long-running process; never drop a font that a
        # render_pdf() call is still using.
        for old_key in list(_registered)[:-_MAX_REGISTERED_FONTS]:
            old = _registered[old_key]
            if not _leases[old]:
                del _registered[old_key]
                _unregister(old)
        return name


def register_cjk_font(text: str) -> str:
    """Register a TrueType subset of Noto Sans CJK SC covering ``text`` (plus ASCII and common
    punctuation) with reportlab and return its font name.

    The font stays registered while it is among the most recently used ones; for use beyond a
    single rendering, prefer :func:`render_pdf`, which holds on to its font while it works.
    """
    return _register(text)


@contextmanager
def leased_font(text: str):
    with _lock:
        name = _register(text)
        _leases[name] += 1
    try:
        yield name
    finally:
        with _lock:
            _leases[name] -= 1
            if not _leases[name]:
                del _leases[name]
