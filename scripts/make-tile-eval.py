#!/usr/bin/env python3
"""Builds a precision check for near-duplicate detection: tiles of real photos, no two of them alike.

Each photo (wallpapers and backgrounds of Debian's plasma-workspace-wallpapers and mate-backgrounds, plus the sample
photos of python3-skimage and opencv-doc) is fitted into 1600 px and cut into a 4 x 4 grid; every tile is resized
to 256 x 256 and saved as JPEG q85. Many tiles are smooth (sky, clouds, blurred backgrounds, gradients): the images
whose perceptual hashes only tell the direction of their gradient. A group is a photo: no tile is a copy of another,
but tiles of one photo can be alike (two tiles of one clear sky, of one lawn), so only a cluster that joins tiles of
different photos is surely a false match.

    /work/venv/bin/python scripts/make-tile-eval.py --out /work/eval/tiles [--photos 68]

writes OUT/images/*.jpg and OUT/manifest.jsonl with {"path", "group", "transform": "original", "source"} per tile,
and OUT/manifest-keyed.jsonl ({"key", "image"}) for `curate audit`. Score it with
Tests/DetectTests/Clustering/NearDuplicateClusterEval.swift: its merged_groups counts photos joined to another
photo, its precision is the share of linked pairs within one photo (recall means nothing here).
"""
import argparse
import glob
import os

import imagehash
from PIL import Image, ImageOps

from neardup_images import write_keyed_manifest, write_manifest

ROOTS = [
    "/usr/share/wallpapers/*/contents/images/*",
    "/usr/share/backgrounds/mate/*/*",
    "/usr/lib/python3/dist-packages/skimage/data/*",
    "/usr/share/doc/opencv-doc/examples/data/*",
]


def photos(limit):
    """Colour photos of at least 400 px on the short side; one file per wallpaper folder (its largest); a photo
    within 16 bits of an earlier one by imagehash pHash (mirror included) is a variant of it (a stereo pair, one
    wallpaper in two colours) and left out, so tiles of different photos are never copies."""
    chosen, folders, hashes = [], set(), []
    for pattern in ROOTS:
        for path in sorted(glob.glob(pattern), key=lambda p: (os.path.dirname(p), -os.path.getsize(p))):
            if not path.lower().endswith((".jpg", ".jpeg", ".png")):
                continue
            folder = os.path.dirname(path)
            if "/wallpapers/" in path and folder in folders:
                continue
            try:
                with Image.open(path) as image:
                    if min(image.size) < 400 or image.mode not in ("RGB", "RGBA", "P"):
                        continue
                    phash = imagehash.phash(image.convert("RGB"))
                    mirrored = imagehash.phash(ImageOps.mirror(image.convert("RGB")))
            except OSError:
                continue
            if any(min(phash - h, mirrored - h) <= 16 for h in hashes):
                continue
            hashes.append(phash)
            folders.add(folder)
            chosen.append(path)
            if len(chosen) == limit:
                return chosen
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/work/eval/tiles")
    parser.add_argument("--photos", type=int, default=68)
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    rows = []
    for index, path in enumerate(photos(args.photos)):
        image = Image.open(path).convert("RGB")
        image.thumbnail((1600, 1600))
        width, height = image.size
        for gx in range(4):
            for gy in range(4):
                box = (gx * width // 4, gy * height // 4, (gx + 1) * width // 4, (gy + 1) * height // 4)
                name = f"t{index:03d}_{gx}{gy}.jpg"
                image.crop(box).resize((256, 256), Image.LANCZOS).save(
                    os.path.join(args.out, "images", name), quality=85)
                rows.append({"path": os.path.join(os.path.abspath(args.out), "images", name), "group": index,
                             "transform": "original", "source": f"{path}#tile{gx}{gy}"})
    write_manifest(args.out, rows, len(rows) // 16)
    write_keyed_manifest(args.out, rows)

if __name__ == "__main__":
    main()
