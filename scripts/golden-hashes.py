#!/usr/bin/env python3
"""Reference hashes for the fixture photos, from the Python tools our hashes must agree with.

For every Tests/Fixtures/photos/*.jpg this writes to Tests/Fixtures/hashes/golden.json:
  phash, dhash   str(imagehash.phash(img)) / str(imagehash.dhash(img)), imagehash 4.3.2 defaults
  pdq, quality   the pdqhash package (Meta's reference C++) on the RGB pixels, as reference hex
  luma32         Pillow's convert("L").resize((32, 32), LANCZOS) as hex (the exact input of pHash's DCT)
  luma9x8        the same for dHash's 9x8 resize
  size           [width, height]

It also writes three real near-copies to Tests/Fixtures/hashes/copies/ (letterboxed, padded, mirrored, cropped to 90%), which
the view tests match against their originals.

Run with the project venv:  /work/venv/bin/python scripts/golden-hashes.py
"""
import json
import pathlib
import sys

import imagehash
import numpy as np
import pdqhash
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "Tests" / "Fixtures" / "photos"
OUT = ROOT / "Tests" / "Fixtures" / "hashes" / "golden.json"


def pdq_hex(image):
    rgb = np.asarray(image.convert("RGB"))
    vector, quality = pdqhash.compute(rgb)
    bits = "".join(str(int(b)) for b in vector)  # bit 255 first, as the reference hex reads
    return "%064x" % int(bits, 2), int(quality)


def write_copies():
    """Near-copies as they occur in scraped sets, re-encoded as JPEG."""
    folder = OUT.parent / "copies"
    folder.mkdir(parents=True, exist_ok=True)
    with Image.open(PHOTOS / "chelsea.jpg") as image:
        w, h = image.size
        bar = h // 8
        canvas = Image.new("RGB", (w, h + 2 * bar), (0, 0, 0))
        canvas.paste(image.convert("RGB"), (0, bar))
        canvas.save(folder / "chelsea-letterbox.jpg", quality=85)
    with Image.open(PHOTOS / "astronaut.jpg") as image:
        small = image.convert("RGB").resize((256, 256), Image.LANCZOS)
        pad = 26
        canvas = Image.new("RGB", (256 + 2 * pad, 256 + 2 * pad), (255, 255, 255))
        canvas.paste(small, (pad, pad))
        canvas.save(folder / "astronaut-pad-white.jpg", quality=85)
    with Image.open(PHOTOS / "coffee.jpg") as image:
        image.convert("RGB").transpose(Image.FLIP_LEFT_RIGHT).save(folder / "coffee-mirror.jpg", quality=85)
    with Image.open(PHOTOS / "fruits.jpg") as image:
        w, h = image.size
        x, y = round(w * 0.03), round(h * 0.07)
        image.convert("RGB").crop((x, y, x + round(w * 0.9), y + round(h * 0.9))).save(folder / "fruits-crop90.jpg", quality=85)


def main():
    write_copies()
    versions = {"imagehash": imagehash.__version__, "pdqhash": pdqhash.__version__, "pillow": Image.__version__}
    photos = {}
    for path in sorted(PHOTOS.glob("*.jpg")):
        with Image.open(path) as image:
            image.load()
            pdq, quality = pdq_hex(image)
            gray = image.convert("L")
            photos[path.name] = {
                "size": list(image.size),
                "phash": str(imagehash.phash(image)),
                "dhash": str(imagehash.dhash(image)),
                "pdq": pdq,
                "quality": quality,
                "luma32": gray.resize((32, 32), Image.LANCZOS).tobytes().hex(),
                "luma9x8": gray.resize((9, 8), Image.LANCZOS).tobytes().hex(),
            }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"versions": versions, "photos": photos}, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(photos)} photos to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
