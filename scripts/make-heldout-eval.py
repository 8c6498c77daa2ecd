#!/usr/bin/env python3
"""Builds a held-out near-duplicate benchmark from the real photos of Debian's gcompris-qt-data.

curate's near-duplicate thresholds (policies/audit-only.yaml, DetectThresholds) were chosen on the set of
scripts/make-neardup-eval.py. This set measures them out of sample: other photos (animals, monuments, musical
instruments, landscapes from the GCompris educational suite; apt-get install gcompris-qt-data first) and transforms
with other parameters or of other kinds. No threshold was ever chosen on it. (Its F1 was looked at when two
clustering / view changes were made, commits be6623f and 3d52258, so it is held out for thresholds, not unseen.)

Sources: the raster files inside the Qt resource bundles /usr/share/gcompris-qt/rcc/*.rcc, read by a small parser of
the .rcc format (no Qt needed), from the bundles that hold plain photos (BUNDLES). A file counts if it is a
photo (same test as make-neardup-eval.py: many colours, real contrast, short side >= 200 px) and has no
transparency (cut-outs on alpha are puzzle pieces, not photos); sources that are near-copies of one already kept
(imagehash pHash distance <= 16, mirror included) are dropped, so every group is one distinct photo.

Each photo becomes a group: the original (long side <= 1024, JPEG q95) and 19 copies. Against the tuned set's
transforms: resize to 30% (not 50%), JPEG q20 (not q30), crop 80% at a random place and 92% anchored at a corner
(not 90% / 85%), pad 15% black and 5% grey (not 10% black / white), a square letterbox (not 16:9), brightness and
contrast by 0.6-0.75 or 1.25-1.4 (not 0.75-1.3), rotation 2-7 degrees (not 3-5), a logo box plus large
semi-transparent text (not a small watermark), and kinds the tuned set lacks: Gaussian blur (radius 2), a hue
shift with more saturation, a horizontal squash to 80% width, a social-media screenshot (the photo at 60-75% of a
1080 px white page with a header and a caption), mirror plus 85% crop, WebP q50 and lossless PNG. Mirror and
grayscale are the same as in the tuned set.

    /work/venv/bin/python scripts/make-heldout-eval.py --out /work/eval/heldout [--seed 1234]

writes OUT/images/* and OUT/manifest.jsonl with {"path", "group", "transform", "source"} per image, where source is
"RCC_FILE:/path/inside/it".
"""
import argparse
import os
import random
import struct
import sys
import zlib
from io import BytesIO

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

from neardup_images import DistinctPhotos, crop, fit, is_photo, pad, resize, write_manifest

RCC_DIR = "/usr/share/gcompris-qt/rcc"
# Bundles (file name without .rcc) whose photos are used, in this order. Left out among others: paintings (artworks,
# not photos) and details (artworks, and monuments that explore_monuments also shows in other cuts: unlabelled
# near-copies across groups).
BUNDLES = ["erase", "explore_monuments", "explore_world_animals", "explore_farm_animals", "explore_world_music",
           "clickgame", "categorization", "lang"]
RASTER = (".jpg", ".jpeg", ".png", ".webp")
CAPTIONS = ["Look at this amazing view!! #travel #nofilter", "Found this on my feed, who took it?",
            "Screenshot 2024-05-12 at 14.03.11", "Best wallpaper ever - share if you agree",
            "r/pics: my trip last summer", "Source: unknown. Reposted with permission"]


def rcc_rasters(path):
    """(path inside the bundle, bytes) of every raster file in a Qt .rcc file (format versions 1-3).

    Layout: "qres", then version, tree, data and names offsets (big endian). Tree entries are 14 bytes (v1) or
    22 (v2+, with a modification time): name offset, flags (2 directory, 1 zlib, 4 zstd), then child count and
    first child (directories) or country, language and data offset (files). Data: 4-byte size, then the bytes
    (zlib ones start with a 4-byte uncompressed size).
    """
    b = open(path, "rb").read()
    if b[:4] != b"qres":
        raise ValueError("not a Qt resource file")
    version, tree, data, names = struct.unpack(">IIII", b[4:20])
    entry = 14 if version == 1 else 22

    def name(offset):
        n = struct.unpack(">H", b[names + offset:names + offset + 2])[0]
        return b[names + offset + 6:names + offset + 6 + 2 * n].decode("utf-16-be")
    out = []
    pending = [(0, "")]
    while pending:
        node, prefix = pending.pop(0)
        o = tree + node * entry
        name_offset, flags = struct.unpack(">IH", b[o:o + 6])
        full = prefix + "/" + name(name_offset) if node else prefix
        if flags & 0x02:
            count, first = struct.unpack(">II", b[o + 6:o + 14])
            pending[0:0] = [(c, full) for c in range(first, first + count)]  # depth first, as listed
        elif full.lower().endswith(RASTER):
            offset = struct.unpack(">I", b[o + 10:o + 14])[0]
            size = struct.unpack(">I", b[data + offset:data + offset + 4])[0]
            blob = b[data + offset + 4:data + offset + 4 + size]
            if flags & 0x04:
                print(f"  skipped {path}:{full} (zstd-compressed)", file=sys.stderr)
                continue
            out.append((full, zlib.decompress(blob[4:]) if flags & 0x01 else blob))
    return out


def has_alpha_holes(image):
    if image.mode not in ("RGBA", "LA", "P"):
        return False
    return np.asarray(image.convert("RGBA"))[..., 3].min() < 250


def gather():
    """(source name, RGB image) of every distinct photo, in BUNDLES order, by path inside each bundle."""
    candidates = []
    for bundle in BUNDLES:
        rcc = os.path.join(RCC_DIR, bundle + ".rcc")
        if not os.path.exists(rcc):
            sys.exit(f"{rcc} is missing: apt-get install gcompris-qt-data")
        files = sorted(rcc_rasters(rcc), key=lambda f: f[0].replace("/", "__"))
        candidates += [(f"{rcc}:{inner}", blob) for inner, blob in files]
    kept, distinct = [], DistinctPhotos()
    for source, blob in candidates:
        try:
            image = Image.open(BytesIO(blob))
            image.load()
        except Exception:
            continue
        if has_alpha_holes(image) or not is_photo(image):
            continue
        rgb = fit(image)
        if distinct.add(rgb):
            kept.append((source, rgb))
    return kept


def crop_corner(image, share, rng):
    """Crop anchored at one of the four corners (as far off-centre as it goes)."""
    w, h = image.size
    cw, ch = round(w * share), round(h * share)
    x, y = rng.choice([0, w - cw]), rng.choice([0, h - ch])
    return image.crop((x, y, x + cw, y + ch))


def letterbox_square(image):
    """A square frame with black bars, as square-feed reposts do."""
    w, h = image.size
    side = max(w, h)
    canvas = Image.new("RGB", (side, side), (0, 0, 0))
    canvas.paste(image, ((side - w) // 2, (side - h) // 2))
    return canvas


def brightness_contrast(image, rng):
    b = rng.choice([rng.uniform(0.6, 0.75), rng.uniform(1.25, 1.4)])
    k = rng.choice([rng.uniform(0.6, 0.75), rng.uniform(1.25, 1.4)])
    return ImageEnhance.Contrast(ImageEnhance.Brightness(image).enhance(b)).enhance(k)


def rotate(image, rng):
    return image.rotate(rng.choice([-1, 1]) * rng.uniform(2, 7), resample=Image.BILINEAR, expand=False)


def logo(image, rng):
    """A near-opaque logo box in a corner (28% of the width) and large semi-transparent text across the middle."""
    out = image.copy()
    draw = ImageDraw.Draw(out, "RGBA")
    w, h = image.size
    bw, bh = round(w * 0.28), round(h * 0.14)
    x = rng.choice([round(w * 0.03), w - bw - round(w * 0.03)])
    y = rng.choice([round(h * 0.03), h - bh - round(h * 0.03)])
    draw.rounded_rectangle((x, y, x + bw, y + bh), radius=bh // 4, fill=(200, 30, 30, 220))
    font = ImageFont.load_default(size=max(10, bh // 2))
    draw.text((x + bw // 10, y + bh // 4), rng.choice(["LOGO", "NEWS 24", "PhotoCo"]), fill=(255, 255, 255, 255),
              font=font)
    big = ImageFont.load_default(size=max(14, h // 7))
    draw.text((w // 10, h // 2 - h // 14), rng.choice(["© STOCK PHOTO", "PREVIEW", "watermark.com"]),
              fill=(255, 255, 255, 110), font=big)
    return out


def hue_saturation(image, rng):
    hsv = np.asarray(image.convert("HSV")).copy()
    shift = rng.choice([-1, 1]) * rng.randint(12, 30)  # of 256: about 17-42 degrees
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + shift) % 256
    hsv[..., 1] = np.clip(hsv[..., 1].astype(np.float32) * rng.uniform(1.3, 1.6), 0, 255).astype(np.uint8)
    return Image.fromarray(hsv, "HSV").convert("RGB")


def squash(image):
    return image.resize((round(image.width * 0.8), image.height), Image.LANCZOS)


def screenshot(image, rng):
    """The photo at 60-75% of a 1080 px wide white page, under a header bar and above a caption."""
    width = 1080
    photo = resize(image, rng.uniform(0.6, 0.75) * width / image.width)
    canvas = Image.new("RGB", (width, photo.height + 140 + 120), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, 60), fill=(240, 240, 240))
    font = ImageFont.load_default(size=24)
    draw.text((20, 16), "@someuser  ·  2h", fill=(90, 90, 90), font=font)
    canvas.paste(photo, ((width - photo.width) // 2, 60 + 30))
    y = 60 + 30 + photo.height + 20
    draw.text((20, y), rng.choice(CAPTIONS), fill=(20, 20, 20), font=ImageFont.load_default(size=30))
    draw.text((20, y + 50), "♥ 1.2k   ↻ 340   💬 87", fill=(120, 120, 120), font=font)
    return canvas


def transforms(rng):
    """name -> (function of the original, file format, quality). Built again per photo, in this order: the random
    draws (and so the files) depend on it."""
    return {
        "resize30": (lambda im: resize(im, 0.3), "JPEG", 90),
        "jpeg20": (lambda im: im, "JPEG", 20),
        "crop80": (lambda im: crop(im, 0.8, rng), "JPEG", 90),
        "crop92_offcentre": (lambda im: crop_corner(im, 0.92, rng), "JPEG", 90),
        "pad15_black": (lambda im: pad(im, 0.15, (0, 0, 0)), "JPEG", 90),
        "pad5_grey": (lambda im: pad(im, 0.05, (128, 128, 128)), "JPEG", 90),
        "letterbox_square": (letterbox_square, "JPEG", 90),
        "mirror": (ImageOps.mirror, "JPEG", 90),
        "bright_contrast_strong": (lambda im: brightness_contrast(im, rng), "JPEG", 90),
        "grayscale": (lambda im: ImageOps.grayscale(im).convert("RGB"), "JPEG", 90),
        "rotate2_7": (lambda im: rotate(im, rng), "JPEG", 90),
        "logo_overlay": (lambda im: logo(im, rng), "JPEG", 90),
        "blur2": (lambda im: im.filter(ImageFilter.GaussianBlur(2)), "JPEG", 90),
        "hue_sat": (lambda im: hue_saturation(im, rng), "JPEG", 90),
        "squash_w80": (squash, "JPEG", 90),
        "screenshot": (lambda im: screenshot(im, rng), "JPEG", 90),
        "mirror_crop85": (lambda im: crop(ImageOps.mirror(im), 0.85, rng), "JPEG", 90),
        "webp50": (lambda im: im, "WEBP", 50),
        "png": (lambda im: im, "PNG", None),
    }


EXTENSION = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/work/eval/heldout")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    images = os.path.join(args.out, "images")
    os.makedirs(images, exist_ok=True)
    sources = gather()
    lines = []

    def save(image, name, fmt, quality, group, transform, source):
        path = os.path.join(images, f"{name}.{EXTENSION[fmt]}")
        image.convert("RGB").save(path, fmt, **({} if quality is None else {"quality": quality}))
        lines.append({"path": path, "group": group, "transform": transform, "source": source})

    for group, (source, rgb) in enumerate(sources):
        name = f"h{group:04d}"
        save(rgb, f"{name}-original", "JPEG", 95, group, "original", source)
        for transform, (function, fmt, quality) in transforms(rng).items():
            save(function(rgb), f"{name}-{transform}", fmt, quality, group, transform, source)
    write_manifest(args.out, lines, len(sources))


if __name__ == "__main__":
    main()
