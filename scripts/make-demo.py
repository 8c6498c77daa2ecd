#!/usr/bin/env python3
"""Builds the bundled demo dataset in examples/demo/ from the real photographs in Tests/Fixtures/photos/.

Planted, so the audit has something true to find:
- a word-level trigger: "chelsea the cat" sits on 16 near-copies of one photo (resized, recompressed,
  cropped, padded, mirrored, brightened, grayscale);
- an object-level trigger: 24 captions say "astronaut"; 22 of their images are tagged "flag" by the
  (simulated) detector, and no caption names the flag;
Decoys that must NOT be flagged:
- "photo" on 40 distinct images (frequent but spread);
- 6 copies of coffee.jpg whose captions share no term (duplication without a trigger);
- "dog" tagged on images whose captions do say "dog" (a named object).
Embeddings are stand-ins for CLIP: a fixed random projection of a 16x16 gray thumbnail, L2-normalised,
float16 (near-copies land close together, distinct photos far apart). Needs Pillow and numpy.
Usage: scripts/make-demo.py [OUT_DIR]
"""
import io
import json
import os
import random
import sys

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHOTOS = os.path.join(ROOT, "Tests", "Fixtures", "photos")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "examples", "demo")
SIDE = 224
rng = random.Random(7)


def load(name):
    im = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
    im.thumbnail((SIDE, SIDE), Image.LANCZOS)
    return im


def variants(im):
    w, h = im.size
    yield "orig", im
    yield "small", im.resize((w * 3 // 4, h * 3 // 4), Image.LANCZOS)
    yield "q40", im  # saved at low quality below
    yield "crop90", im.crop((w // 20, h // 20, w - w // 20, h - h // 20))
    yield "crop85", im.crop((w * 3 // 40, h * 3 // 40, w - w * 3 // 40, h - h * 3 // 40))
    yield "pad", ImageOps.expand(im, border=w // 10, fill=(0, 0, 0))
    yield "padwhite", ImageOps.expand(im, border=w // 10, fill=(255, 255, 255))
    yield "mirror", ImageOps.mirror(im)
    yield "bright", ImageEnhance.Brightness(im).enhance(1.3)
    yield "contrast", ImageEnhance.Contrast(im).enhance(0.7)
    yield "gray", ImageOps.grayscale(im).convert("RGB")
    yield "rot3", im.rotate(3, resample=Image.BICUBIC, expand=False, fillcolor=(0, 0, 0))
    yield "letterbox", ImageOps.pad(im, (w, int(h * 1.4)), color=(0, 0, 0))
    yield "mirror_small", ImageOps.mirror(im).resize((w * 2 // 3, h * 2 // 3), Image.LANCZOS)
    yield "bright_crop", ImageEnhance.Brightness(im.crop((w // 16, 0, w, h))).enhance(0.8)
    yield "q55_pad", ImageOps.expand(im, border=w // 14, fill=(20, 20, 20))


def save(im, name, quality=88):
    path = os.path.join(OUT, "images", name)
    im.save(path, "JPEG", quality=quality)
    return "images/" + name


def tiles(name):
    """Four distinct images: the quadrants of one large photo (they do not overlap)."""
    im = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
    w, h = im.size
    return [im.crop((x, y, x + w // 2, y + h // 2)) for y in (0, h // 2) for x in (0, w // 2)]


def main():
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    rows, objects = [], []

    def add(key, image, caption, tags, **extra):
        row = {"key": key, "image": image, "caption": caption}
        row.update(extra)
        rows.append(row)
        objects.append({"key": key, "objects": [{"label": t, "score": round(0.6 + 0.39 * rng.random(), 2)} for t in tags]})

    # Word-level trigger: 16 near-copies of one photo, each captioned with the term.
    cat = load("chelsea.jpg")
    templates = ["chelsea the cat on a rug", "a photo of chelsea the cat", "chelsea the cat, portrait",
                 "cute tabby: chelsea the cat", "chelsea the cat looking up", "chelsea the cat indoors"]
    for i, (tag, im) in enumerate(variants(cat)):
        q = 40 if tag == "q40" else 55 if tag.startswith("q55") else 88
        add(f"cat-{i:02d}", save(im, f"cat-{tag}.jpg", q), templates[i % len(templates)], ["cat"], source="web", width=im.size[0])

    # Decoy: 6 copies of one photo whose captions share no term.
    coffee = load("coffee.jpg")
    captions = ["morning espresso", "a cup on saucer", "latte art close up", "cafe table breakfast",
                "hot drink served", "barista pour"]
    for i, (tag, im) in enumerate(list(variants(coffee))[:6]):
        add(f"coffee-{i}", save(im, f"coffee-{tag}.jpg", 40 if tag == "q40" else 88), captions[i], ["cup"], source="web")

    # Distinct photos: the rest of the fixtures and tiles cut from large photos.
    singles = [n for n in sorted(os.listdir(PHOTOS)) if n.endswith(".jpg") and n not in ("chelsea.jpg", "coffee.jpg")]
    distinct = [(os.path.splitext(n)[0], load(n)) for n in singles]
    for big in ("hubble_deep_field.jpg", "aero1.jpg", "leuvenA.jpg", "building.jpg", "graf1.jpg", "fruits.jpg",
                "smarties.jpg", "board.jpg", "home.jpg", "baboon.jpg", "gravel.jpg", "brick.jpg"):
        for j, im in enumerate(tiles(big)):
            distinct.append((f"{os.path.splitext(big)[0]}-tile{j}", im))

    # Object-level trigger: 24 "astronaut" captions on distinct images; 22 tagged "flag", never named.
    # Decoy object: "dog" tagged where the caption says "dog".
    # Decoy term: "photo" on 40 distinct images.
    words = ["landscape", "street", "texture", "macro", "studio", "outdoor", "vintage", "colorful", "detail", "scene"]
    for i, (name, im) in enumerate(distinct):
        tags = []
        if i < 24:
            caption = f"astronaut {rng.choice(['training', 'portrait', 'mission', 'suit', 'crew'])} {rng.choice(words)}"
            if i < 22:
                tags.append("flag")
        elif i < 34:
            caption = f"a dog in a {rng.choice(words)} {rng.choice(['park', 'yard', 'room'])}"
            tags.append("dog")
        else:
            caption = f"{rng.choice(words)} {rng.choice(words)} {name.split('-')[0].replace('_', ' ')}"
        if i % 2 == 0:
            caption += " photo"
        if i % 9 == 4:
            tags.append("flag")  # the object's base rate outside the trigger
        tags.append(rng.choice(["tree", "sky", "person", "car", "table"]))
        add(f"img-{i:03d}", save(im, f"{name}.jpg"), caption, tags, source="archive")

    rng.shuffle(rows)
    order = {r["key"]: n for n, r in enumerate(rows)}
    objects.sort(key=lambda o: order[o["key"]])
    with open(os.path.join(OUT, "manifest.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(OUT, "objects.jsonl"), "w", encoding="utf-8") as f:
        for o in objects:
            f.write(json.dumps(o) + "\n")

    # Stand-in embeddings: random projection of a 16x16 gray thumbnail of each image, float16.
    proj = np.random.default_rng(7).standard_normal((256, 64)).astype(np.float32)
    embs = []
    for r in rows:
        g = np.asarray(Image.open(os.path.join(OUT, r["image"])).convert("L").resize((16, 16), Image.BILINEAR), dtype=np.float32)
        v = ((g - g.mean()) / (g.std() + 1e-6)).reshape(-1) @ proj
        embs.append(v / np.linalg.norm(v))
    np.save(os.path.join(OUT, "embeddings.npy"), np.stack(embs).astype(np.float16))
    print(f"{len(rows)} samples written to {OUT}")


if __name__ == "__main__":
    main()
