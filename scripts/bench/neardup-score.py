#!/usr/bin/env python3
"""Near-duplicate pair F1 by transform: curate's clusters.jsonl against the Python peers (run by scripts/bench.sh).

    neardup-score.py MANIFEST KEYED_CLUSTERS CACHE_DIR [SOURCE_PAIRS.json]  ->  JSON on stdout, table on stderr

MANIFEST is scripts/make-neardup-eval.py's manifest (path, group, transform); curate ran on a copy whose key is the
image's file name, so KEYED_CLUSTERS (curate's clusters.jsonl) names members by file name. Images in no cluster
are singletons. Peers: imagehash pHash and pdqhash (each one hash of the image as is), linked by Hamming distance
and clustered by union-find, at their BEST threshold chosen on this very benchmark (an oracle advantage that ours,
run with the policy's default thresholds, does not get). imagededup's PHash is added when it is installed.

Every score is pair precision / recall / F1 of the clustering against the manifest's groups. Per transform, the
clustering of the whole set is restricted to the originals plus that transform's copies (same for all methods).

Two scorings: "labelled" (the manifest's groups as they are) and, when SOURCE_PAIRS (scripts/bench/source-pairs.py)
is given, "merged": the groups of every pair it marks as merged (near-identical source photos) joined into one
(transitively). Each peer's threshold is chosen again for each scoring (its best on that scoring); curate's
clustering is the same in both.
"""
import json
import os
import sys

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def pairs(counts):
    counts = np.asarray(counts, dtype=np.int64)
    return int((counts * (counts - 1) // 2).sum())


def score(labels, groups):
    joint = {}
    for label, group in zip(labels, groups):
        joint[(label, group)] = joint.get((label, group), 0) + 1
    tp = pairs(list(joint.values()))
    predicted = pairs(np.unique(labels, return_counts=True)[1])
    actual = pairs(np.unique(groups, return_counts=True)[1])
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def components(adjacency):
    i, j = np.nonzero(np.triu(adjacency, 1))
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=adjacency.shape)
    return connected_components(graph, directed=False)[1]


def cached_hashes(name, items, cache_dir, compute):
    cache = os.path.join(cache_dir, f"peer-{name}.tsv")
    known = {}
    if os.path.exists(cache):
        known = dict(line.rstrip("\n").split("\t") for line in open(cache))
    if not all(it["path"] in known for it in items):
        print(f"  hashing {len(items)} images with {name}", file=sys.stderr)
        from PIL import Image
        for it in items:
            if it["path"] not in known:
                with Image.open(it["path"]) as image:
                    known[it["path"]] = compute(image)
        with open(cache, "w") as f:
            for path, h in known.items():
                f.write(f"{path}\t{h}\n")
    return [known[it["path"]] for it in items]


def bits(hexes):
    return np.array([np.unpackbits(np.frombuffer(bytes.fromhex(h), dtype=np.uint8)) for h in hexes], dtype=np.uint8)


def hamming(b):
    """All-pairs Hamming distances of bit rows, by one float matrix product (exact for these sizes)."""
    f = b.astype(np.float32)
    ones = f.sum(axis=1)
    return np.rint(ones[:, None] + ones[None, :] - 2 * (f @ f.T)).astype(np.int32)


def merged_groups(groups, pairs_path):
    """The group labels with every merged source pair joined (union-find over group ids)."""
    parent = {}

    def find(g):
        parent.setdefault(g, g)
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g
    for c in json.load(open(pairs_path))["candidates"]:
        if c["merged"]:
            a, b = find(c["groups"][0]), find(c["groups"][1])
            parent[max(a, b)] = min(a, b)
    return np.array([find(int(g)) for g in groups])


def main():
    manifest, clusters, cache_dir = sys.argv[1:4]
    pairs_path = sys.argv[4] if len(sys.argv) > 4 else None
    items = [json.loads(line) for line in open(manifest) if line.strip()]
    labelled = np.array([it["group"] for it in items])
    transforms = np.array([it["transform"] for it in items])
    index = {os.path.splitext(os.path.basename(it["path"]))[0]: k for k, it in enumerate(items)}

    ours = np.arange(len(items)) + 1_000_000  # singletons unless clustered
    for line in open(clusters):
        c = json.loads(line)
        for m in c["members"]:
            ours[index[m]] = c["id"]

    # Peer hashes: name -> (bit rows, thresholds tried); their distance matrices are computed once.
    peers = {}
    import imagehash
    peers["imagehash pHash"] = (cached_hashes("imagehash-phash", items, cache_dir,
                                              lambda im: str(imagehash.phash(im))), range(0, 25))
    import pdqhash

    def pdq(image):
        vector, _ = pdqhash.compute(np.asarray(image.convert("RGB")))
        return np.packbits(vector.astype(np.uint8)).tobytes().hex()
    peers["pdqhash"] = (cached_hashes("pdqhash", items, cache_dir, pdq), range(10, 130, 4))
    skipped = []
    try:
        from imagededup_hashing import hashing_methods
        PHash = hashing_methods().PHash
        hasher = PHash(verbose=False)
        peers["imagededup PHash"] = (cached_hashes(
            "imagededup-phash", items, cache_dir,
            lambda im: hasher.encode_image(image_array=np.asarray(im.convert("RGB")))), range(0, 25))
    except Exception as error:
        skipped.append(f"imagededup PHash ({type(error).__name__}: {error})")
        print(f"  imagededup not available ({type(error).__name__}); skipped", file=sys.stderr)
    distances = {name: hamming(bits(hexes)) for name, (hexes, _) in peers.items()}

    names = [t for t in dict.fromkeys(transforms) if t != "original"]
    scorings = {"labelled": labelled}
    if pairs_path:
        scorings["merged"] = merged_groups(labelled, pairs_path)
    out = {"images": len(items), "groups": int(len(set(labelled))), "skipped": skipped, "scorings": {}}
    for scoring, groups in scorings.items():
        methods = {"curate (policy defaults)": (ours, None)}
        for name, (_, thresholds) in peers.items():
            best = max((score(components(distances[name] <= t), groups)[2], t) for t in thresholds)
            methods[name] = (components(distances[name] <= best[1]), best[1])
        result = {"groups": int(len(set(groups))), "methods": {}}
        for method, (labels, threshold) in methods.items():
            p, r, f = score(labels, groups)
            per = {}
            for name in names:
                mask = (transforms == "original") | (transforms == name)
                tp, tr, tf = score(labels[mask], groups[mask])
                per[name] = {"precision": tp, "recall": tr, "f1": tf}
            result["methods"][method] = {"threshold": threshold, "precision": p, "recall": r, "f1": f,
                                         "per_transform": per}
            print(f"  {scoring:9s} {method:26s} t={threshold} P={p:.3f} R={r:.3f} F1={f:.3f}", file=sys.stderr)
        out["scorings"][scoring] = result
    # Which groups curate's clusters join (by the labels): each such pair of groups, with how many image pairs
    # across them share a cluster, so the report can show which are explained by merged source photos.
    cross = {}
    members = {}
    for k, label in enumerate(ours):
        members.setdefault(int(label), []).append(k)
    for ks in members.values():
        by_group = {}
        for k in ks:
            by_group[int(labelled[k])] = by_group.get(int(labelled[k]), 0) + 1
        gs = sorted(by_group)
        for x in range(len(gs)):
            for y in range(x + 1, len(gs)):
                key = (gs[x], gs[y])
                cross[key] = cross.get(key, 0) + by_group[gs[x]] * by_group[gs[y]]
    merged = scorings.get("merged")
    out["curate_cross_groups"] = [
        {"groups": [a, b], "image_pairs": n,
         "merged": bool(merged is not None and merged[list(labelled).index(a)] == merged[list(labelled).index(b)])}
        for (a, b), n in sorted(cross.items())]
    source_of = {int(it["group"]): it.get("source", it["path"]) for it in items if it["transform"] == "original"}
    out["sources"] = {str(g): source_of[g] for pair in cross for g in pair if g in source_of}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
