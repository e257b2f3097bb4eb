"""Draw Gendan's icon: the browser tab's favicon (SVG, and ICO for /favicon.ico and older browsers)
and the phone home-screen icon (PNG). A tick on the top bar's navy, in a rounded square: an order
followed up. Run `uv run python scripts/draw_icons.py` after changing the drawing; the files are
committed under core/static/gendan/.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src/gendan/core/static/gendan"
NAVY, WHITE = "#14213d", "#ffffff"
# On a 32 × 32 grid.
CORNER = 7
TICK = [(8.5, 16.5), (13.5, 21.5), (23.5, 10.5)]
STROKE = 3.6

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" rx="{CORNER}" fill="{NAVY}"/>
  <path d="M{" ".join(f"{x} {y}" for x, y in TICK)}" fill="none" stroke="{WHITE}" stroke-width="{STROKE}" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def draw(size: int, *, corner: bool = True) -> Image.Image:
    """The icon at `size` pixels, drawn 8 times larger and scaled down for smooth edges. Without
    `corner` the square fills the image (the phone rounds home-screen icons itself)."""
    big = size * 8
    scale = big / 32
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * scale if corner else 0, fill=NAVY)
    points = [(x * scale, y * scale) for x, y in TICK]
    width = round(STROKE * scale)
    pen.line(points, fill=WHITE, width=width, joint="curve")
    for x, y in (points[0], points[-1]):  # round ends
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    (OUT / "favicon.svg").write_text(SVG)
    draw(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    draw(180, corner=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    print("written:", ", ".join(p.name for p in sorted(OUT.glob("*icon*"))))


if __name__ == "__main__":
    main()
