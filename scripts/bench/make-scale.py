#!/usr/bin/env python3
"""Synthetic scale data for scripts/bench.sh: a JSONL dataset of N rows and (optionally) N x 512 float16 embeddings.

    make-scale.py OUT N POOL_LIST [--embeddings]

Rows reference a modest pool of real image files (POOL_LIST: one path a line), each used many times, so the run
measures the pipeline (reading, hashing lookups, clustering, statistics, report) rather than JPEG decoding. Captions
are varied: 5-14 words drawn from a Zipf-like vocabulary of 5000 pseudo-words, and ten planted terms are tied to the
copies of ten pool images (memory triggers to find). Embeddings come from scripts/bench-cluster.py's generator
(topic mixture with planted near-copies at cosine ~0.87-0.999). Deterministic (fixed seeds).
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


def main():
    out, n, pool_list = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    pool = [line.strip() for line in open(pool_list) if line.strip()]
    rng = np.random.default_rng(7)
    vocab = words(rng, 5000)
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    images = rng.integers(0, len(pool), size=n)
    lengths = rng.integers(5, 15, size=n)
    drawn = rng.choice(len(vocab), size=int(lengths.sum()), p=weights)
    planted = {k: f"brandterm{k}" for k in range(10)}
    with open(os.path.join(out, "manifest.jsonl"), "w") as f:
        at = 0
        for i in range(n):
            caption = [vocab[w] for w in drawn[at:at + lengths[i]]]
            at += lengths[i]
            if images[i] in planted and rng.random() < 0.8:
                caption.insert(int(rng.integers(len(caption))), planted[images[i]])
            f.write(json.dumps({"key": f"s{i:07d}", "image": pool[images[i]], "caption": " ".join(caption)}) + "\n")
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
