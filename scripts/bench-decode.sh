#!/usr/bin/env bash
# Baseline decode throughput of Pillow on the repo's photos, for comparison with curate's decoder
# (the lead's throughput benchmark measures ours). Usage: scripts/bench-decode.sh [ROUNDS]
# Prints images/s for JPEG full size, JPEG with DCT scaling to >= 64 px (Pillow's draft mode, the same
# libjpeg scaling our DecodeOptions.minimumSide uses), and PNG / WebP re-encodings of the same photos.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/work/venv/bin/python}
exec "$PYTHON" - "${1:-5}" <<'PY'
import glob, io, sys, time
from PIL import Image

rounds = int(sys.argv[1])
paths = sorted(glob.glob("Tests/Fixtures/photos/*.jpg"))
jpegs = [open(p, "rb").read() for p in paths]

def encode(fmt, **kw):
    out = []
    for data in jpegs:
        buf = io.BytesIO()
        Image.open(io.BytesIO(data)).save(buf, fmt, **kw)
        out.append(buf.getvalue())
    return out

def bench(name, blobs, decode):
    decode(blobs[0])  # warm up
    start = time.perf_counter()
    for _ in range(rounds):
        for blob in blobs:
            decode(blob)
    elapsed = time.perf_counter() - start
    n = rounds * len(blobs)
    mb = rounds * sum(map(len, blobs)) / 1e6
    print(f"{name:28s} {n / elapsed:8.0f} images/s  {mb / elapsed:6.1f} MB/s  ({n} decodes)")

def full(blob):
    im = Image.open(io.BytesIO(blob)); im.load(); im.convert("RGB")

def draft64(blob):
    im = Image.open(io.BytesIO(blob)); im.draft("RGB", (64, 64)); im.load()

print(f"Pillow {Image.__version__}, {len(jpegs)} photos (<= 512 px), {rounds} rounds, one thread")
bench("pillow jpeg full", jpegs, full)
bench("pillow jpeg dct-scaled >=64", jpegs, draft64)
bench("pillow png", encode("PNG"), full)
bench("pillow webp lossy q80", encode("WEBP", quality=80), full)
PY
