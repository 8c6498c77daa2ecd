#!/usr/bin/env python3
"""A check set for photos shown inside a page: each original of the near-duplicate benchmark
(scripts/make-neardup-eval.py, photos from python3-skimage, opencv-doc, mate-backgrounds and
plasma-workspace-wallpapers) plus four page layouts around it that the held-out set's screenshot does not use:

  dark_post      a dark-mode post: avatar and name above, the photo left-aligned at 50-70% of the width, text below;
  article        a news article: a headline across the top, the photo at 45-55% on the left, text columns beside it;
  polaroid       a thin dark frame and a wide white band under the photo with a handwritten-size caption;
  viewer         an image viewer: a toolbar with buttons on top, the photo centred on light grey, a status line.

The layout parameters were fixed before curate was scored on this set, and no threshold is chosen on it.

Usage: make-page-eval.py NEARDUP_DIR OUT_DIR   (NEARDUP_DIR holds images/*-original.jpg)
Writes OUT_DIR/images/pNNNN-LAYOUT.jpg and OUT_DIR/manifest.jsonl (path, group, transform) and
OUT_DIR/manifest-keyed.jsonl (key, image) for `curate audit`.
"""
import glob
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFont

from neardup_images import resize, write_keyed_manifest, write_manifest

WORDS = ("the city council met on tuesday to discuss a new plan for the river park and its old bridge while "
         "residents asked about parking noise and the summer market schedule before the vote next month").split()


def text_lines(rng, count, words=(6, 11)):
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(*words))) for _ in range(count)]


def dark_post(photo, rng):
    width = 1000
    p = resize(photo, rng.uniform(0.5, 0.7) * width / photo.width)
    canvas = Image.new("RGB", (width, p.height + 110 + 140), (24, 25, 28))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((30, 25, 90, 85), fill=(90, 140, 200))
    draw.text((105, 38), "night_owl_photos", fill=(230, 230, 230), font=ImageFont.load_default(size=26))
    canvas.paste(p, (30, 110))
    font = ImageFont.load_default(size=24)
    for i, line in enumerate(text_lines(rng, 3)):
        draw.text((30, 110 + p.height + 20 + 36 * i), line, fill=(200, 200, 200), font=font)
    return canvas


def article(photo, rng):
    width = 1280
    p = resize(photo, rng.uniform(0.45, 0.55) * width / photo.width)
    canvas = Image.new("RGB", (width, max(p.height + 160, 600)), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    draw.text((40, 30), " ".join(rng.choice(WORDS) for _ in range(7)).title(), fill=(10, 10, 10),
              font=ImageFont.load_default(size=40))
    canvas.paste(p, (40, 120))
    font = ImageFont.load_default(size=20)
    x = 40 + p.width + 30
    for i, line in enumerate(text_lines(rng, (canvas.height - 140) // 30, words=(5, 8))):
        draw.text((x, 120 + 30 * i), line, fill=(40, 40, 40), font=font)
    return canvas


def polaroid(photo, rng):
    p = resize(photo, 800 / photo.width)
    frame, band = 6, int(p.height * rng.uniform(0.25, 0.35))
    canvas = Image.new("RGB", (p.width + 2 * frame, p.height + frame + band), (250, 250, 248))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, canvas.width - 1, p.height + 2 * frame - 1), fill=(40, 40, 40))
    canvas.paste(p, (frame, frame))
    draw.text((frame + 30, p.height + frame + band // 3), " ".join(text_lines(rng, 1, words=(3, 5))),
              fill=(30, 30, 90), font=ImageFont.load_default(size=int(band * 0.3)))
    return canvas


def viewer(photo, rng):
    width, height = 1200, 900
    p = resize(photo, min(rng.uniform(0.7, 0.8) * width / photo.width, 0.75 * height / photo.height))
    canvas = Image.new("RGB", (width, height), (235, 235, 235))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, 56), fill=(60, 63, 68))
    for i in range(rng.randint(5, 9)):
        draw.rounded_rectangle((14 + 48 * i, 12, 46 + 48 * i, 44), radius=6, fill=(150, 155, 160))
    canvas.paste(p, ((width - p.width) // 2, 56 + (height - 56 - 36 - p.height) // 2))
    draw.text((14, height - 30), f"IMG_{rng.randint(1000, 9999)}.JPG   {p.width} x {p.height}   100%",
              fill=(80, 80, 80), font=ImageFont.load_default(size=18))
    return canvas


LAYOUTS = {"dark_post": dark_post, "article": article, "polaroid": polaroid, "viewer": viewer}


def main():
    source, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    rng = random.Random(20261129)
    rows = []
    for group, path in enumerate(sorted(glob.glob(os.path.join(source, "images", "*-original.jpg")))):
        photo = Image.open(path).convert("RGB")
        images = {"original": photo}
        images.update({name: layout(photo, rng) for name, layout in LAYOUTS.items()})
        for name, image in images.items():
            target = os.path.join(out, "images", f"p{group:04d}-{name}.jpg")
            image.save(target, quality=90)
            rows.append({"path": os.path.abspath(target), "group": group, "transform": name})
    write_manifest(out, rows, group + 1)
    write_keyed_manifest(out, rows)


if __name__ == "__main__":
    main()
