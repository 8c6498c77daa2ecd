#!/usr/bin/env python3
"""A check set for copies turned on their side or upside down: each original photo of other check sets (their
manifest rows whose transform is "original"), plus five copies whose orientation differs, each with one more
change, as a lost EXIF orientation tag, a scan fed in sideways or a flip augmentation leaves them:

  rot90                 turned 90 degrees clockwise (JPEG q85);
  rot270_half_q40       turned 90 degrees counter-clockwise, halved, JPEG q40;
  rot180_bright         turned 180 degrees, brightness x1.25;
  vflip_webp            mirrored top to bottom, WebP q60;
  transpose_contrast    mirrored about the main diagonal, contrast x1.3.

Usage: make-orientation-eval.py OUT_DIR SET_DIR [SET_DIR ...]   (each SET_DIR holds a manifest.jsonl with absolute
paths, such as the held-out and unseen sets' builds). Writes OUT_DIR/images/oNNNN-TRANSFORM.{jpg,webp},
OUT_DIR/manifest.jsonl (path, group, transform, source) and OUT_DIR/manifest-keyed.jsonl (key, image).
"""
import json
import os
import sys

from PIL import Image, ImageEnhance

from neardup_images import resize, write_keyed_manifest, write_manifest

T = Image.Transpose
COPIES = {
    "rot90": (lambda im: im.transpose(T.ROTATE_270), {"quality": 85}),
    "rot270_half_q40": (lambda im: resize(im.transpose(T.ROTATE_90), 0.5), {"quality": 40}),
    "rot180_bright": (lambda im: ImageEnhance.Brightness(im.transpose(T.ROTATE_180)).enhance(1.25), {"quality": 85}),
    "vflip_webp": (lambda im: im.transpose(T.FLIP_TOP_BOTTOM), {"format": "WEBP", "quality": 60}),
    "transpose_contrast": (lambda im: ImageEnhance.Contrast(im.transpose(T.TRANSPOSE)).enhance(1.3), {"quality": 85}),
}


def originals(set_dirs):
    for set_dir in set_dirs:
        for line in open(os.path.join(set_dir, "manifest.jsonl")):
            row = json.loads(line)
            if row.get("transform") == "original":
                yield row["path"]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    rows = []
    for group, path in enumerate(originals(sys.argv[2:])):
        photo = Image.open(path).convert("RGB")
        target = os.path.join(out, "images", f"o{group:04d}-original.jpg")
        photo.save(target, quality=92)
        rows.append({"path": os.path.abspath(target), "group": group, "transform": "original", "source": path})
        for name, (turn, options) in COPIES.items():
            ext = "webp" if options.get("format") == "WEBP" else "jpg"
            target = os.path.join(out, "images", f"o{group:04d}-{name}.{ext}")
            turn(photo).save(target, **options)
            rows.append({"path": os.path.abspath(target), "group": group, "transform": name, "source": path})
    write_manifest(out, rows, len(rows) // (len(COPIES) + 1))
    write_keyed_manifest(out, rows)


if __name__ == "__main__":
    main()
