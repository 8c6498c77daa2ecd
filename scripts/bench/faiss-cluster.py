#!/usr/bin/env python3
"""The faiss-cpu side of the clustering benchmark (run by scripts/bench.sh, under /usr/bin/time -v).

    faiss-cluster.py EMBEDDINGS.npy THREADS  ->  JSON on stdout

Same job as curate's embedding stage: every pair with cosine >= 0.92, then connected components. IVF-Flat with
sqrt(N) lists (as ours), nprobe raised from 2 until recall >= 0.995 on 200 sampled queries against exact search
(ours calibrates the same way; the calibration time is excluded from faiss' timing, so faiss is favoured). Loading
and normalising the float16 matrix is timed separately.
"""
import json
import sys
import time

import faiss
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

THRESHOLD = 0.92


def main():
    path, threads = sys.argv[1], int(sys.argv[2])
    faiss.omp_set_num_threads(threads)
    w0, c0 = time.perf_counter(), time.process_time()
    x = np.load(path, mmap_mode="r").astype(np.float32)
    n, d = x.shape
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1
    x /= norms
    load_wall, load_cpu = time.perf_counter() - w0, time.process_time() - c0

    rng = np.random.default_rng(1)
    nlist = max(1, int(round(np.sqrt(n))))
    queries = np.sort(rng.choice(n, size=min(n, 200), replace=False))
    flat = faiss.IndexFlatIP(d)
    flat.add(x)
    lims, _, ids = flat.range_search(x[queries], THRESHOLD)
    truth = {(int(q), int(j)) for k, q in enumerate(queries) for j in ids[lims[k]:lims[k + 1]] if j != q}
    del flat

    w1, c1 = time.perf_counter(), time.process_time()
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    index.train(x[rng.choice(n, size=min(n, 64 * nlist), replace=False)])
    index.add(x)
    train_wall, train_cpu = time.perf_counter() - w1, time.process_time() - c1

    nprobe, recall = 2, 0.0
    while True:  # calibration (not timed)
        index.nprobe = nprobe
        lims, _, ids = index.range_search(x[queries], THRESHOLD)
        found = {(int(q), int(j)) for k, q in enumerate(queries) for j in ids[lims[k]:lims[k + 1]] if j != q}
        recall = len(found & truth) / len(truth) if truth else 1.0
        if recall >= 0.995 or nprobe >= 64:
            break
        nprobe *= 2

    w2, c2 = time.perf_counter(), time.process_time()
    rows, cols = [], []
    for start in range(0, n, 50_000):
        lims, _, ids = index.range_search(x[start:start + 50_000], THRESHOLD)
        q = np.repeat(np.arange(start, min(n, start + 50_000)), np.diff(lims).astype(np.int64))
        keep = q < ids
        rows.append(q[keep])
        cols.append(ids[keep])
    i, j = np.concatenate(rows), np.concatenate(cols)
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    components, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    search_wall, search_cpu = time.perf_counter() - w2, time.process_time() - c2
    print(json.dumps({
        "rows": n, "lists": nlist, "probes": nprobe, "sampled_recall": recall, "pairs": int(len(i)),
        "clusters": int((sizes > 1).sum()), "load_wall": load_wall, "load_cpu": load_cpu,
        "index_wall": train_wall, "index_cpu": train_cpu, "search_wall": search_wall, "search_cpu": search_cpu,
        "cluster_wall": train_wall + search_wall, "cluster_cpu": train_cpu + search_cpu,
    }))


if __name__ == "__main__":
    main()
