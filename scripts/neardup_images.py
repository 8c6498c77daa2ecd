"""What the near-duplicate set generators share (scripts/make-neardup-eval.py, scripts/make-heldout-eval.py, and in
part the unseen sets' and the page set's): which files count as photos, one size for every original, the check that
keeps every group one distinct photo, transparency flattened on white, the geometric transforms they apply with their
own parameters, and the manifest they write."""
import json
import os

import imagehash
import numpy as np
from PIL import Image, ImageOps


def is_photo(image):
    """Photographs have many colours and real contrast; diagrams and flat renders do not."""
    if min(image.size) < 200:
        return False
    thumb = image.convert("RGB").resize((64, 64))
    colors = len(thumb.getcolors(maxcolors=64 * 64) or [])
    luma = np.asarray(thumb.convert("L"), dtype=np.float32)
    return colors >= 1500 and luma.std() >= 25


def on_white(image):
    """The image as RGB, any transparency flattened on white (stamps, icons and PNG photos with an alpha channel)."""
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        background.alpha_composite(image)
        image = background
    return image.convert("RGB")


def fit(image):
    """The image as RGB with its long side at most 1024 px (the originals' size)."""
    rgb = image.convert("RGB")
    if max(rgb.size) > 1024:
        scale = 1024 / max(rgb.size)
        rgb = rgb.resize((round(rgb.width * scale), round(rgb.height * scale)), Image.LANCZOS)
    return rgb


class DistinctPhotos:
    """Sources kept so far, by imagehash pHash: a near-copy of one of them (distance <= 16, mirror included) would
    be a second group of the same photo and blur the ground truth."""

    def __init__(self):
        self.hashes = []

    def add(self, rgb):
        """Keeps `rgb` and returns True, unless it is a near-copy of a kept photo."""
        h = imagehash.phash(rgb)
        hm = imagehash.phash(ImageOps.mirror(rgb))
        if any(h - other <= 16 or hm - other <= 16 for other in self.hashes):
            return False
        self.hashes.append(h)
        return True


def resize(image, share):
    return image.resize((max(16, round(image.width * share)), max(16, round(image.height * share))), Image.LANCZOS)


def crop(image, share, rng):
    """`share` of each side at a random place."""
    w, h = image.size
    cw, ch = round(w * share), round(h * share)
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    return image.crop((x, y, x + cw, y + ch))


def pad(image, share, color):
    """A border of `share` of each side in `color`."""
    w, h = image.size
    bw, bh = round(w * share), round(h * share)
    canvas = Image.new("RGB", (w + 2 * bw, h + 2 * bh), color)
    canvas.paste(image, (bw, bh))
    return canvas


def write_manifest(out, lines, source_count):
    """OUT/manifest.jsonl: one {"path", "group", "transform", "source"} line per image."""
    with open(os.path.join(out, "manifest.jsonl"), "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    print(f"{source_count} source photos, {len(lines)} images in {out}")


def write_keyed_manifest(out, lines):
    """OUT/manifest-keyed.jsonl for `curate audit`: one {"key": file name without extension, "image": path relative
    to OUT} line per image."""
    with open(os.path.join(out, "manifest-keyed.jsonl"), "w") as f:
        for line in lines:
            key = os.path.splitext(os.path.basename(line["path"]))[0]
            f.write(json.dumps({"key": key, "image": os.path.relpath(line["path"], out)}) + "\n")
