"""Draw the app's icons (static/icons/*.png) with Pillow: `python -m offline.icons`.

A white bank building (pediment, columns, base) on the brand blue (--bd-brand of
static/css/branchdesk.css). The maskable icon keeps the drawing inside the central 80 % safe
zone and fills the whole square, as the Web App Manifest's "maskable" purpose asks.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (29, 78, 216)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw(size, *, maskable=False, scale=4):
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle([0, 0, big, big], fill=BRAND)
        inset = big * 0.22  # the building sits well inside the 80 % safe zone
    else:
        pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.2, fill=BRAND)
        inset = big * 0.16
    left, right = inset, big - inset
    top, bottom = inset, big - inset
    width = right - left
    height = bottom - top
    roof_bottom = top + height * 0.3
    pen.polygon([(left, roof_bottom), (left + width / 2, top), (right, roof_bottom)], fill=WHITE)
    base_top = bottom - height * 0.12
    pen.rectangle([left, base_top, right, bottom], fill=WHITE)
    columns = 4
    gap = width / (columns * 2 + 1)
    for index in range(columns):
        x = left + gap * (index * 2 + 1)
        pen.rectangle(
            [x, roof_bottom + height * 0.06, x + gap, base_top - height * 0.05], fill=WHITE
        )
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(32).save(OUT / "favicon.png", optimize=True)


if __name__ == "__main__":
    main()
