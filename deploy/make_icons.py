"""Draw the installable app's icons (static/ent/icons/), once: `python deploy/make_icons.py`.

The PNGs are committed; run this again only to change them. The DSFR's "bleu France" square with
« ENT » in Marianne (the DSFR's font, shipped by django-dsfr): "any" icons with rounded corners on
transparency, "maskable" ones full-bleed with the text inside the safe zone (the central 80 %
circle that every platform's mask keeps).
"""

from pathlib import Path

import dsfr
from PIL import Image, ImageDraw, ImageFont

BLUE_FRANCE = "#000091"  # --blue-france-sun-113-625, the manifest's theme_color
WHITE = "#ffffff"
FONT = Path(dsfr.__file__).parent / "static/dsfr/dist/fonts/Marianne-Bold.woff2"
OUT = Path(__file__).resolve().parent.parent / "static/ent/icons"
ANY_SIZES = [48, 72, 96, 128, 144, 152, 192, 256, 384, 512]
MASKABLE_SIZES = [192, 512]
SCALE = 4  # drawn larger, then reduced: smooth edges


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BLUE_FRANCE)
        text_width = big * 0.52  # inside the safe zone's circle (diameter 80 %)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=BLUE_FRANCE)
        text_width = big * 0.70
    font = ImageFont.truetype(str(FONT), 100)
    left, top, right, bottom = font.getbbox("ENT")
    font = ImageFont.truetype(str(FONT), int(100 * text_width / (right - left)))
    left, top, right, bottom = font.getbbox("ENT")
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    pen.text((x, y), "ENT", font=font, fill=WHITE)
    # A thin white bar under the text, like the DSFR's blocks of the Marianne.
    bar_y = y + bottom + big * 0.04
    pen.rectangle((x + left, bar_y, x + right, bar_y + big * 0.025), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in ANY_SIZES:
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    for size in MASKABLE_SIZES:
        draw(size, maskable=True).convert("RGB").save(OUT / f"maskable-{size}.png", optimize=True)
    # iOS ignores the manifest's icons and masks the square itself: full-bleed, opaque.
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(32, maskable=False).save(OUT / "favicon-32.png", optimize=True)
    print(f"Icons written to {OUT}")


if __name__ == "__main__":
    main()
