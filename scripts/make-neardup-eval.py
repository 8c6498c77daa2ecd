#!/usr/bin/env python3
"""Builds a near-duplicate benchmark from real photos shipped in Debian packages.

Sources: python3-skimage's data, opencv-doc's sample images, mate-backgrounds and plasma-workspace-wallpapers
(apt-get install them first). Diagrams, screenshots and tiny images are skipped (few colours or little
contrast), and sources that are already near-copies of each other (stereo pairs, calibration series) are
dropped by imagehash pHash distance, so every group really is one distinct photo.

Each kept photo becomes a group: the original (long side <= 1024, JPEG q95) plus transformed copies, the
transforms real scraped near-copies show: resize, JPEG recompression, crop 90% / 85%, pad 10% (black, white),
letterbox, mirror, brightness/contrast, grayscale, rotation 3-5 degrees, watermark text, and combinations.

    /work/venv/bin/python scripts/make-neardup-eval.py --out /work/eval/neardup [--max-sources 300]

writes OUT/images/*.jpg and OUT/manifest.jsonl with {"path", "group", "transform"} per image.
"""
import argparse
import glob
import os
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

from neardup_images import DistinctPhotos, crop, fit, is_photo, pad, resize, write_manifest

SOURCE_GLOBS = [
    "/usr/lib/python3/dist-packages/skimage/data/*.jpg",
    "/usr/lib/python3/dist-packages/skimage/data/*.png",
    "/usr/share/doc/opencv-doc/examples/data/*.jpg",
    "/usr/share/doc/opencv-doc/examples/data/*.png",
    "/usr/share/doc/opencv-doc/**/*.jpg",
    "/usr/share/backgrounds/mate/**/*.jpg",
    "/usr/share/backgrounds/mate/**/*.png",
    "/usr/share/wallpapers/**/*.jpg",
    "/usr/share/wallpapers/**/*.png",
]


def gather(max_sources):
    seen_paths = []
    for pattern in SOURCE_GLOBS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            real = os.path.realpath(path)
            if real not in seen_paths:
                seen_paths.append(real)
    kept, distinct = [], DistinctPhotos()
    for path in seen_paths:
        try:
            with Image.open(path) as image:
                image.load()
                if not is_photo(image):
                    continue
                rgb = fit(image)
        except Exception:
            continue
        if distinct.add(rgb):
            kept.append((path, rgb))
        if len(kept) >= max_sources:
            break
    return kept


def letterbox(image):
    """Fit into a 16:9 (landscape) or 9:16 frame with black bars, as video thumbnails and reposts do."""
    w, h = image.size
    if w >= h:
        target_w, target_h = max(w, round(h * 16 / 9)), h
        if target_w == w:
            target_h = round(w * 9 / 16) if round(w * 9 / 16) > h else h + 2 * round(h * 0.12)
    else:
        target_w, target_h = w + 2 * round(w * 0.12), h
    canvas = Image.new("RGB", (target_w, target_h), (0, 0, 0))
    canvas.paste(image, ((target_w - w) // 2, (target_h - h) // 2))
    return canvas


def watermark(image, rng):
    out = image.copy()
    draw = ImageDraw.Draw(out, "RGBA")
    size = max(12, image.height // 12)
    font = ImageFont.load_default(size=size)
    text = rng.choice(["© stock photo", "SAMPLE", "www.example.com", "@photographer"])
    x = rng.randint(0, max(1, image.width // 3))
    y = image.height - size * 2
    draw.text((x, y), text, fill=(255, 255, 255, 170), font=font)
    return out


def brightness_contrast(image, rng):
    image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.75, 1.25))
    return ImageEnhance.Contrast(image).enhance(rng.uniform(0.75, 1.3))


def rotate(image, rng):
    angle = rng.choice([-1, 1]) * rng.uniform(3, 5)
    return image.rotate(angle, resample=Image.BILINEAR, expand=False)


def transforms(rng):
    """name -> (function of the original, JPEG quality)."""
    return {
        "resize50": (lambda im: resize(im, 0.5), 90),
        "jpeg30": (lambda im: im, 30),
        "crop90": (lambda im: crop(im, 0.9, rng), 90),
        "crop85": (lambda im: crop(im, 0.85, rng), 90),
        "pad_black": (lambda im: pad(im, 0.1, (0, 0, 0)), 90),
        "pad_white": (lambda im: pad(im, 0.1, (255, 255, 255)), 90),
        "letterbox": (letterbox, 90),
        "mirror": (ImageOps.mirror, 90),
        "bright_contrast": (lambda im: brightness_contrast(im, rng), 90),
        "grayscale": (lambda im: ImageOps.grayscale(im).convert("RGB"), 90),
        "rotate": (lambda im: rotate(im, rng), 90),
        "watermark": (lambda im: watermark(im, rng), 90),
        "mirror_resize_jpeg": (lambda im: resize(ImageOps.mirror(im), 0.6), 50),
        "pad_resize": (lambda im: resize(pad(im, 0.1, (255, 255, 255)), 0.5), 80),
        "crop_bright": (lambda im: brightness_contrast(crop(im, 0.9, rng), rng), 85),
        "letterbox_mirror_watermark": (lambda im: watermark(letterbox(ImageOps.mirror(im)), rng), 80),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/work/eval/neardup")
    parser.add_argument("--max-sources", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    images = os.path.join(args.out, "images")
    os.makedirs(images, exist_ok=True)
    sources = gather(args.max_sources)
    lines = []
    for group, (path, rgb) in enumerate(sources):
        name = f"g{group:04d}"
        original = os.path.join(images, f"{name}-original.jpg")
        rgb.save(original, quality=95)
        lines.append({"path": original, "group": group, "transform": "original", "source": path})
        for transform, (function, quality) in transforms(rng).items():
            out = os.path.join(images, f"{name}-{transform}.jpg")
            function(rgb).convert("RGB").save(out, quality=quality)
            lines.append({"path": out, "group": group, "transform": transform, "source": path})
    write_manifest(args.out, lines, len(sources))


if __name__ == "__main__":
    main()
