#!/usr/bin/env python3
"""Scale benchmark data and the faiss side for near-duplicate clustering.

  bench-cluster.py generate DIR N   writes synthetic hashes and 512-d float16 embeddings with planted duplicates
  bench-cluster.py recall DIR       only the recall of our pairs against brute force on sampled queries
  bench-cluster.py compare DIR      runs faiss-cpu (IVF, same lists and probes as ours) on the embeddings, checks
                                    recall of both against brute force on sampled queries, prints a summary

Layout written by `generate` (read by Tests/DetectTests/Clustering/ClusterBenchmarkTests.swift):
  hashes.bin      N x 19 little-endian uint64: pHash x3 views, dHash x3, PDQ 4 words x3, trimmed-view flag
  content.bin     N x 2 uint64 content hashes (planted exact copies share their source's)
  embeddings.npy  [N, 512] float16, numpy-written

Measured 2026-11-29 on the 2-core dev machine shared with other builds (load 3-10), N = 1,000,000
(106,853 planted copies; 2.1M hash views per kind): `scripts/bench-cluster.sh 1000000`
  ours, everything (exact + pHash + PDQ + embeddings + clusters): 76 s wall, 104 s CPU, peak RSS 1.61 GB
    (stages: pHash 15 s, PDQ 20 s, embeddings 41 s, star clustering 0.4 s)
  embeddings alone: ours 50-80 s wall / 54-56 s CPU (1000 lists, nprobe 2, calibrated),
    faiss-cpu 1.15.1 IndexIVFFlat (same lists and nprobe) train+add+range_search: 275 s wall / 291 s CPU
  recall on 1000 sampled queries vs exact range search (233 true pairs): ours 1.0, faiss 1.0;
    pairs found: ours 126,555, faiss 126,556
"""
import json
import os
import sys
import time

import numpy as np

D = 512
THRESHOLD = 0.92


def flip_bits(codes, max_flips, rng):
    """Flips 0..max_flips random distinct bits of each row of uint64 words."""
    n, words = codes.shape
    bits = words * 64
    flips = rng.integers(0, max_flips + 1, size=n)
    order = np.argsort(rng.random((n, bits)), axis=1)
    chosen = order < flips[:, None]  # a random set of exactly `flips` bits per row
    out = codes.copy()
    for w in range(words):
        block = chosen[:, 64 * w:64 * (w + 1)]
        mask = (block.astype(np.uint64) << np.arange(64, dtype=np.uint64)).sum(axis=1, dtype=np.uint64)
        out[:, w] ^= mask
    return out


def generate(folder, n):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(20261129)
    # Sources: each row is a base or a copy of an earlier base (groups stay inside 100k chunks).
    source = np.arange(n)
    chunk = 100_000
    for start in range(0, n, chunk):
        end = min(n, start + chunk)
        m = end - start
        bases = int(m / 1.12)
        dup_bases = rng.choice(bases, size=int(bases * 0.04), replace=False)
        copies = np.repeat(dup_bases, rng.integers(1, 6, size=len(dup_bases)))[: m - bases]
        local = np.concatenate([np.arange(bases), copies, np.arange(bases + len(copies), m)])[:m]
        source[start:end] = start + local
    is_copy = source != np.arange(n)
    copy_rows = np.nonzero(is_copy)[0]
    print(f"{n} samples, {len(copy_rows)} planted copies", file=sys.stderr)

    words = np.zeros((n, 19), dtype=np.uint64)
    random_words = lambda k: rng.integers(0, 2**63, size=(n, k), dtype=np.int64).astype(np.uint64) * 2 + \
        rng.integers(0, 2, size=(n, k)).astype(np.uint64)
    words[:, 0:3] = random_words(3)    # pHash views
    words[:, 3:6] = random_words(3)    # dHash views
    words[:, 6:18] = random_words(12)  # PDQ views
    words[:, 18] = (rng.random(n) < 0.1).astype(np.uint64)
    src = source[copy_rows]
    for v in range(3):
        words[copy_rows, v] = flip_bits(words[src, v:v + 1], 12, rng)[:, 0]
        words[copy_rows, 3 + v] = flip_bits(words[src, 3 + v:4 + v], 12, rng)[:, 0]
        words[copy_rows, 6 + 4 * v:10 + 4 * v] = flip_bits(words[src, 6 + 4 * v:10 + 4 * v], 40, rng)
    words[copy_rows, 18] = words[src, 18]
    words.astype("<u8").tofile(os.path.join(folder, "hashes.bin"))

    content = np.stack([np.arange(n, dtype=np.uint64) + 1, random_words(1)[:, 0]], axis=1)
    exact = copy_rows[rng.random(len(copy_rows)) < 0.25]
    content[exact] = content[source[exact]]
    content.astype("<u8").tofile(os.path.join(folder, "content.bin"))

    topics = rng.standard_normal((2000, D)).astype(np.float32)
    out = np.lib.format.open_memmap(os.path.join(folder, "embeddings.npy"), mode="w+", dtype="<f2", shape=(n, D))
    for start in range(0, n, chunk):
        end = min(n, start + chunk)
        rows = np.arange(start, end)
        base = topics[rng.integers(0, len(topics), size=end - start)] + rng.standard_normal((end - start, D),
                                                                                           dtype=np.float32)
        # Copies: their source's vector plus noise; cosine to the source spreads over ~0.87-0.999.
        copy = is_copy[rows]
        scale = rng.uniform(0.1, 0.8, size=copy.sum()).astype(np.float32)[:, None]
        base[copy] = base[source[rows[copy]] - start] + scale * rng.standard_normal((copy.sum(), D), dtype=np.float32)
        out[start:end] = base.astype(np.float16)
    out.flush()
    del out


def compare(folder):
    import faiss

    faiss.omp_set_num_threads(2)
    ours = json.load(open(os.path.join(folder, "swift-result.json")))
    x = np.load(os.path.join(folder, "embeddings.npy"), mmap_mode="r").astype(np.float32)
    n = len(x)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1
    x /= norms
    nlist, nprobe = ours["ivf_lists"], ours["ivf_probes"]

    t0 = time.time()
    c0 = time.process_time()
    quantizer = faiss.IndexFlatIP(D)
    index = faiss.IndexIVFFlat(quantizer, D, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(1)
    index.train(x[rng.choice(n, size=min(n, 64 * nlist), replace=False)])
    index.add(x)
    index.nprobe = nprobe
    t1 = time.time()
    faiss_pairs = []
    for start in range(0, n, 50_000):
        lims, _, ids = index.range_search(x[start:start + 50_000], THRESHOLD)
        q = np.repeat(np.arange(start, min(n, start + 50_000)), np.diff(lims).astype(np.int64))
        keep = q < ids
        faiss_pairs.append((q[keep].astype(np.uint64) << np.uint64(32)) | ids[keep].astype(np.uint64))
    faiss_keys = np.unique(np.concatenate(faiss_pairs))
    t2 = time.time()
    c2 = time.process_time()

    # Ground truth on 1000 sampled queries by exact (flat) range search.
    flat = faiss.IndexFlatIP(D)
    flat.add(x)
    queries = np.sort(rng.choice(n, size=min(n, 1000), replace=False))
    lims, _, ids = flat.range_search(x[queries], THRESHOLD)
    truth = [(int(q), int(j)) for k, q in enumerate(queries) for j in ids[lims[k]:lims[k + 1]] if j != q]
    key = lambda a, b: (min(a, b) << 32) | max(a, b)
    ours_keys = np.fromfile(os.path.join(folder, "swift-embedding-pairs.bin"), dtype="<u8")
    def recall(keys):
        wanted = np.array([key(a, b) for a, b in truth], dtype=np.uint64)
        pos = np.searchsorted(keys, wanted)
        hit = (pos < len(keys)) & (keys[np.minimum(pos, len(keys) - 1)] == wanted)
        return hit.mean() if len(wanted) else 1.0

    result = {
        "samples": n,
        "ours_embedding_seconds": ours["embedding_alone_seconds"],
        "ours_embedding_cpu_seconds": ours["embedding_alone_cpu_seconds"],
        "ours_total_cluster_cpu_seconds": ours["cluster_cpu_seconds"],
        "ours_total_cluster_seconds": ours["cluster_seconds"],
        "ours_stage_seconds": ours["stage_seconds"],
        "ours_peak_rss_mb": ours["peak_rss_kb"] / 1024,
        "ours_pairs": int(len(ours_keys)),
        "ours_recall": float(recall(ours_keys)),
        "faiss_train_add_seconds": t1 - t0,
        "faiss_range_search_seconds": t2 - t1,
        "faiss_total_seconds": t2 - t0,
        "faiss_cpu_seconds": c2 - c0,
        "faiss_pairs": int(len(faiss_keys)),
        "faiss_recall": float(recall(faiss_keys)),
        "sampled_true_pairs": len(truth),
        "lists": nlist,
        "probes": nprobe,
        "clusters": ours["clusters"],
        "largest_cluster": ours["largest_cluster"],
        "links": ours["links"],
    }
    result["ours_vs_faiss_time_ratio"] = result["ours_embedding_seconds"] / result["faiss_total_seconds"]
    result["ours_vs_faiss_cpu_ratio"] = result["ours_embedding_cpu_seconds"] / result["faiss_cpu_seconds"]
    json.dump(result, open(os.path.join(folder, "comparison.json"), "w"), indent=2)
    print(json.dumps(result, indent=2))


def recall_only(folder):
    """Recall of our embedding pairs against exact range search on 1000 sampled queries (no faiss IVF run)."""
    import faiss

    faiss.omp_set_num_threads(2)
    ours = json.load(open(os.path.join(folder, "swift-result.json")))
    x = np.load(os.path.join(folder, "embeddings.npy"), mmap_mode="r").astype(np.float32)
    n = len(x)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1
    x /= norms
    flat = faiss.IndexFlatIP(D)
    flat.add(x)
    rng = np.random.default_rng(1)
    rng.choice(n, size=min(n, 64 * ours["ivf_lists"]), replace=False)  # same draw order as compare()
    queries = np.sort(rng.choice(n, size=min(n, 1000), replace=False))
    lims, _, ids = flat.range_search(x[queries], THRESHOLD)
    truth = [(int(q), int(j)) for k, q in enumerate(queries) for j in ids[lims[k]:lims[k + 1]] if j != q]
    keys = np.fromfile(os.path.join(folder, "swift-embedding-pairs.bin"), dtype="<u8")
    wanted = np.array([(min(a, b) << 32) | max(a, b) for a, b in truth], dtype=np.uint64)
    pos = np.searchsorted(keys, wanted)
    hit = (pos < len(keys)) & (keys[np.minimum(pos, len(keys) - 1)] == wanted)
    print(json.dumps({"sampled_true_pairs": len(truth), "ours_recall": float(hit.mean()) if len(truth) else 1.0,
                      "ours_pairs": int(len(keys)), "swift": ours}, indent=2))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "recall":
        recall_only(sys.argv[2])
    else:
        compare(sys.argv[2])
