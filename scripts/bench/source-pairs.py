#!/usr/bin/env python3
"""Near-identical SOURCE photos of the near-duplicate benchmark, found without any perceptual hash.

    source-pairs.py MANIFEST THRESHOLD [--show N]  ->  JSON on stdout, the candidate list on stderr

Some Debian source photos are near-copies of each other (a stereo pair, one frame with two overlays, one image
through two filters), so the manifest labels true near-duplicates as different groups. This script compares the
ORIGINALS of every pair of groups on 64x64 grayscale thumbnails (aspect ignored), with two measures that need
only numpy, scipy and Pillow, each the best over shifts of up to SHIFT pixels (a stereo pair is shifted):

- band: normalized cross-correlation of a band-pass (difference of Gaussians, sigma 1 and 6) of the thumbnails.
  Catches shared structure, ignores smooth gradients (wallpapers) but alone also links photos of one building
  to an edge map of it.
- ssim: mean SSIM (Gaussian window sigma 1.5) of the thumbnails themselves; needs the same tones, so an edge map
  and its photo score low, but alone it favours smooth wallpapers.

score = min(band, ssim): both structure and appearance must agree. SSIM is computed only for pairs whose band
score is at least PREFILTER (it is the slow part). Every pair at or above THRESHOLD is merged; the threshold was
chosen by looking at the top candidates (the report lists them with their scores, merged or not).
"""
import json
import sys

import numpy as np
from PIL import Image
from scipy import ndimage

SIDE, SHIFT, PREFILTER = 64, 3, 0.3
C1, C2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2


def thumbnails(paths):
    return np.array([np.asarray(Image.open(p).convert("L").resize((SIDE, SIDE), Image.BILINEAR), dtype=np.float64)
                     for p in paths])


def shifted(images, dy, dx):
    m = SIDE - 2 * SHIFT
    return images[:, SHIFT + dy:SHIFT + dy + m, SHIFT + dx:SHIFT + dx + m]


def band_ncc(raw):
    """All-pairs best normalized cross-correlation of the band-passed thumbnails over the shifts."""
    band = np.array([ndimage.gaussian_filter(a, 1.0) - ndimage.gaussian_filter(a, 6.0) for a in raw])
    n = len(band)
    best = np.full((n, n), -1.0)

    def unit(x):
        x = x.reshape(n, -1)
        x = x - x.mean(axis=1, keepdims=True)
        return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-9)
    a = unit(shifted(band, 0, 0))
    for dy in range(-SHIFT, SHIFT + 1):
        for dx in range(-SHIFT, SHIFT + 1):
            best = np.maximum(best, a @ unit(shifted(band, dy, dx)).T)
    return np.maximum(best, best.T)


def ssim(a, b):
    """Best mean SSIM of thumbnail a against thumbnail b over the shifts (symmetric: both directions tried)."""
    def g(x):
        return ndimage.gaussian_filter(x, 1.5)

    def one(x, y):
        mx, my = g(x), g(y)
        sx, sy, sxy = g(x * x) - mx * mx, g(y * y) - my * my, g(x * y) - mx * my
        return float((((2 * mx * my + C1) * (2 * sxy + C2)) / ((mx * mx + my * my + C1) * (sx + sy + C2))).mean())
    x = shifted(a[None], 0, 0)[0]
    best = -1.0
    for dy in range(-SHIFT, SHIFT + 1):
        for dx in range(-SHIFT, SHIFT + 1):
            best = max(best, one(x, shifted(b[None], dy, dx)[0]), one(shifted(a[None], dy, dx)[0], shifted(b[None], 0, 0)[0]))
    return best


def main():
    manifest, threshold = sys.argv[1], float(sys.argv[2])
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 12
    items = [json.loads(line) for line in open(manifest) if line.strip()]
    originals = [it for it in items if it["transform"] == "original"]
    raw = thumbnails([it["path"] for it in originals])
    band = band_ncc(raw)
    n = len(originals)
    i, j = np.triu_indices(n, 1)
    keep = band[i, j] >= PREFILTER
    candidates = []
    for a, b in zip(i[keep], j[keep]):
        s = ssim(raw[a], raw[b])
        candidates.append({
            "groups": [int(originals[a]["group"]), int(originals[b]["group"])],
            "sources": [originals[a].get("source", originals[a]["path"]), originals[b].get("source", originals[b]["path"])],
            "band": float(band[a, b]), "ssim": s, "score": min(float(band[a, b]), s),
        })
    candidates.sort(key=lambda c: -c["score"])
    for c in candidates:
        c["merged"] = c["score"] >= threshold
    merged = [c for c in candidates if c["merged"]]
    shown = candidates[:max(show, len(merged) + 4)]
    for c in shown:
        print(f"  {'MERGE' if c['merged'] else '     '} {c['score']:.3f} (band {c['band']:.3f}, ssim {c['ssim']:.3f}) "
              f"g{c['groups'][0]} g{c['groups'][1]} {c['sources'][0].rsplit('/', 1)[-1]} "
              f"{c['sources'][1].rsplit('/', 1)[-1]}", file=sys.stderr)
    print(json.dumps({
        "criterion": f"min(band-pass NCC, SSIM) of {SIDE}x{SIDE} grayscale thumbnails of the originals, best over "
                     f"shifts of up to {SHIFT} px",
        "threshold": threshold, "pairs_compared": int(n * (n - 1) // 2), "prefiltered": int(keep.sum()),
        "candidates": shown,
    }))


if __name__ == "__main__":
    main()
