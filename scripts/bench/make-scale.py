#!/usr/bin/env python3
"""Synthetic scale data for scripts/bench.sh: a JSONL dataset of N rows and (optionally) N x 512 float16 embeddings.

    make-scale.py OUT N POOL_LIST [--embeddings]

POOL_LIST names a modest pool of real photos (one path a line, relative to the folder the manifest will live in,
which is POOL_LIST's folder). A share of POOL_SHARE (5%) of the rows reference pool photos, each used many times
(the pool holds near-duplicate groups, so these rows form real clusters); every other row has its own small
synthetic JPEG (64x64, a random 8x8 colour grid upscaled; written once to uniq/ beside POOL_LIST and shared by
all sizes), so that duplicates stay a small share as in scraped data and the run measures the pipeline (reading,
decoding when cold, index lookups, clustering, statistics, report). Captions are varied: 5-14 words drawn from a
Zipf-like vocabulary of 5000 pseudo-words, and ten planted terms are tied to the copies of ten pool photos that get a fifth of the pool rows
(memory triggers to find). Embeddings come from scripts/bench-cluster.py's generator (topic mixture with planted
near-copies at cosine ~0.87-0.999). Deterministic (fixed seeds).
"""
import importlib.util
import json
import os
import sys

import numpy as np


def words(rng, count):
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    seen, out = set(), []
    while len(out) < count:
        n = rng.integers(2, 5)
        w = "".join(consonants[rng.integers(16)] + vowels[rng.integers(5)] for _ in range(n))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


POOL_SHARE = 0.05


def unique_image(base, i):
    """Path (relative to base) of row i's own synthetic JPEG, written on first use."""
    rel = f"uniq/{i // 10000:03d}/u{i:07d}.jpg"
    path = os.path.join(base, rel)
    if not os.path.exists(path):
        from PIL import Image
        os.makedirs(os.path.dirname(path), exist_ok=True)
        grid = np.random.default_rng(1_000_000 + i).integers(0, 256, size=(8, 8, 3), dtype=np.uint8)
        Image.fromarray(grid).resize((64, 64), Image.BILINEAR).save(path, quality=85)
    return rel


def main():
    out, n, pool_list = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    pool = [line.strip() for line in open(pool_list) if line.strip()]
    rng = np.random.default_rng(7)
    vocab = words(rng, 5000)
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    base = os.path.dirname(os.path.abspath(pool_list))
    images = rng.integers(0, len(pool), size=n)
    from_pool = rng.random(n) < POOL_SHARE
    # A fifth of the pool rows go to ten photos of different groups, which carry the planted terms.
    hot = np.arange(10) * (len(pool) // 10)
    to_hot = rng.random(n) < 0.2
    images[to_hot] = hot[rng.integers(0, 10, size=int(to_hot.sum()))]
    lengths = rng.integers(5, 15, size=n)
    drawn = rng.choice(len(vocab), size=int(lengths.sum()), p=weights)
    planted = {int(h): f"brandterm{k}" for k, h in enumerate(hot)}
    with open(os.path.join(out, "manifest.jsonl"), "w") as f:
        at = 0
        for i in range(n):
            caption = [vocab[w] for w in drawn[at:at + lengths[i]]]
            at += lengths[i]
            if from_pool[i]:
                image = pool[images[i]]
                if images[i] in planted and rng.random() < 0.8:
                    caption.insert(int(rng.integers(len(caption))), planted[images[i]])
            else:
                image = unique_image(base, i)
            f.write(json.dumps({"key": f"s{i:07d}", "image": image, "caption": " ".join(caption)}) + "\n")
    if "--embeddings" in sys.argv:
        here = os.path.dirname(os.path.abspath(__file__))
        spec = importlib.util.spec_from_file_location("bench_cluster", os.path.join(here, "..", "bench-cluster.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generate(out, n)  # writes embeddings.npy (plus hashes.bin/content.bin, unused here)
        for extra in ("hashes.bin", "content.bin"):
            os.remove(os.path.join(out, extra))


if __name__ == "__main__":
    main()
