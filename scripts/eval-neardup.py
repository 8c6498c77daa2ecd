#!/usr/bin/env python3
"""Scores near-duplicate clustering on a benchmark from scripts/make-neardup-eval.py.

Reads MANIFEST (path, group, transform per line) and FEATURES (the TSV that the NearDuplicateEvalExport test
writes from our Swift FeatureExtractor), computes imagehash.phash of every image as the peer, then for each rule
and threshold: links pairs, clusters by union-find (connected components) and scores pair precision / recall /
F1 overall and per transform (each transform scored on originals + that transform's copies). A pair links when
ANY view of A (as is, mirrored, trimmed) is within the threshold of ANY view of B.

    /work/venv/bin/python scripts/eval-neardup.py /work/eval/neardup/manifest.jsonl /work/eval/neardup/features.tsv

Also reports chaining: how many distinct groups (different source photos) end up merged into one cluster.

This scorer sees only the as-is, mirrored, trimmed and centred views and clusters by connected components. The
authoritative end-to-end number (crop views included, the real NearDuplicateClusterer with its default thresholds
and star clustering) comes from the env-gated Swift test:

    CURATE_NEARDUP_EVAL=/work/eval/neardup/manifest.jsonl swift test -c release --filter NearDuplicateClusterEval
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def load(manifest, features):
    items = [json.loads(line) for line in open(manifest) if line.strip()]
    rows = {}
    with open(features) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            rows[row["path"]] = row
    missing = [it["path"] for it in items if it["path"] not in rows or rows[it["path"]]["error"]]
    if missing:
        print(f"warning: {len(missing)} images without features, e.g. {missing[:3]}", file=sys.stderr)
    items = [it for it in items if it["path"] in rows and not rows[it["path"]]["error"]]
    return items, [rows[it["path"]] for it in items]


def u64(hexes):
    return np.array([int(h, 16) for h in hexes], dtype=np.uint64)


def pdq_words(hexes):
    return np.array([[int(h[i:i + 16], 16) for i in range(0, 64, 16)] for h in hexes], dtype=np.uint64)


def has_center(rows):
    return all(r.get("phash_c") for r in rows)


def views64(rows, key):
    base = [r[key] for r in rows]
    views = [u64(base), u64([r[key + "_m"] for r in rows]), u64([r[key + "_t"] or r[key] for r in rows])]
    if key == "phash" and has_center(rows):
        views.append(u64([r["phash_c"] for r in rows]))
    return views


def views256(rows):
    base = [r["pdq"] for r in rows]
    views = [pdq_words(base), pdq_words([r["pdq_m"] for r in rows]), pdq_words([r["pdq_t"] or r["pdq"] for r in rows])]
    if has_center(rows):
        views.append(pdq_words([r["pdq_c"] for r in rows]))
    return views


def distance64(views):
    best = None
    for a in views:
        for b in views:
            d = np.bitwise_count(a[:, None] ^ b[None, :]).astype(np.uint8)
            best = d if best is None else np.minimum(best, d)
    return best


def distance256(views):
    best = None
    for a in views:
        for b in views:
            d = np.zeros((len(a), len(b)), dtype=np.uint16)
            for w in range(4):
                d += np.bitwise_count(a[:, w][:, None] ^ b[:, w][None, :])
            best = d if best is None else np.minimum(best, d)
    return best


def pairs(counts):
    counts = np.asarray(counts, dtype=np.int64)
    return int((counts * (counts - 1) // 2).sum())


def score(adjacency, groups):
    """Pair precision, recall, F1 and the number of groups merged with another group."""
    n = len(groups)
    i, j = np.nonzero(np.triu(adjacency, 1))
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    joint = {}
    for label, group in zip(labels, groups):
        joint[(label, group)] = joint.get((label, group), 0) + 1
    tp = pairs(list(joint.values()))
    predicted = pairs(np.bincount(labels))
    actual = pairs(np.unique(groups, return_counts=True)[1])
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    groups_per_label = {}
    for (label, group) in joint:
        groups_per_label.setdefault(label, set()).add(group)
    merged = set()
    for gs in groups_per_label.values():
        if len(gs) > 1:
            merged |= gs
    return precision, recall, f1, len(merged)


def peer_phash(items, cache):
    if os.path.exists(cache):
        known = dict(line.rstrip("\n").split("\t") for line in open(cache))
        if all(it["path"] in known for it in items):
            return [known[it["path"]] for it in items]
    import imagehash
    from PIL import Image
    out = []
    for it in items:
        with Image.open(it["path"]) as image:
            out.append(str(imagehash.phash(image)))
    with open(cache, "w") as f:
        for it, h in zip(items, out):
            f.write(f"{it['path']}\t{h}\n")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("manifest")
    parser.add_argument("features")
    parser.add_argument("--json", help="write the results here as JSON")
    parser.add_argument("--exclude", default="", help="comma-separated transforms to leave out (e.g. crop85,rotate)")
    args = parser.parse_args()
    items, rows = load(args.manifest, args.features)
    excluded = {t for t in args.exclude.split(",") if t}
    if excluded:
        kept = [k for k, it in enumerate(items) if it["transform"] not in excluded]
        items, rows = [items[k] for k in kept], [rows[k] for k in kept]
    groups = np.array([it["group"] for it in items])
    transforms = np.array([it["transform"] for it in items])
    print(f"{len(items)} images, {len(set(groups))} groups, {len(set(transforms)) - 1} transforms")

    peer = u64(peer_phash(items, os.path.join(os.path.dirname(args.features), "peer-imagehash.tsv")))
    ph_views = views64(rows, "phash")
    pdq_views = views256(rows)
    dh_views = views64(rows, "dhash")
    d = {
        "imagehash phash (peer)": distance64([peer]),
        "phash": distance64(ph_views[:1]),
        "phash+views": distance64(ph_views[:3]),
        "dhash+views": distance64(dh_views),
        "pdq": distance256(pdq_views[:1]),
        "pdq+views": distance256(pdq_views[:3]),
    }
    center = has_center(rows)
    if center:
        d["phash+views+center"] = distance64(ph_views)
        d["pdq+views+center"] = distance256(pdq_views)
    sweeps = {
        "imagehash phash (peer)": [("imagehash phash (peer)", t) for t in range(0, 25)],
        "phash": [("phash", t) for t in range(0, 25)],
        "phash+views": [("phash+views", t) for t in range(0, 25)],
        "dhash+views": [("dhash+views", t) for t in range(0, 25)],
        "pdq": [("pdq", t) for t in range(10, 120, 4)],
        "pdq+views": [("pdq+views", t) for t in range(10, 120, 4)],
    }
    if center:
        sweeps["phash+views+center"] = [("phash+views+center", t) for t in range(0, 25)]
        sweeps["pdq+views+center"] = [("pdq+views+center", t) for t in range(10, 120, 4)]
    results = {}
    best = {}
    for rule, sweep in sweeps.items():
        for name, t in sweep:
            s = score(d[name] <= t, groups)
            results.setdefault(rule, []).append((t, s))
            if rule not in best or s[2] > best[rule][1][2]:
                best[rule] = (t, s)
    # Combination: pHash views OR PDQ views.
    ph_key, pdq_key = ("phash+views+center", "pdq+views+center") if center else ("phash+views", "pdq+views")
    combo = f"{ph_key} OR {pdq_key}"
    for a in range(4, 19, 2):
        for b in range(30, 100, 6):
            s = score((d[ph_key] <= a) | (d[pdq_key] <= b), groups)
            results.setdefault(combo, []).append(((a, b), s))
            if combo not in best or s[2] > best[combo][1][2]:
                best[combo] = ((a, b), s)

    print("\nbest threshold per rule (pair precision / recall / F1, groups merged with another group):")
    for rule, (t, (p, r, f, m)) in best.items():
        print(f"  {rule:44s} t={str(t):9s} P={p:.3f} R={r:.3f} F1={f:.3f} merged_groups={m}")

    def adjacency(rule, t):
        if rule == combo:
            return (d[ph_key] <= t[0]) | (d[pdq_key] <= t[1])
        return d[rule] <= t

    print("\nF1 per transform at each rule's best threshold (originals + that transform):")
    names = [t for t in dict.fromkeys(transforms) if t != "original"]
    shown = ["imagehash phash (peer)", "phash+views", "pdq+views"] + (["phash+views+center", "pdq+views+center"] if center else []) + [combo]
    print("  " + "transform".ljust(28) + "".join(r.split(" ")[0][:18].rjust(20) for r in shown))
    per_transform = {}
    for name in names:
        mask = (transforms == "original") | (transforms == name)
        line = "  " + name.ljust(28)
        for rule in shown:
            sub = adjacency(rule, best[rule][0])[np.ix_(mask, mask)]
            f = score(sub, groups[mask])[2]
            per_transform.setdefault(rule, {})[name] = f
            line += f"{f:20.3f}"
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"best": {k: {"threshold": v[0], "precision": v[1][0], "recall": v[1][1], "f1": v[1][2], "merged_groups": v[1][3]}
                                for k, v in best.items()}, "per_transform": per_transform,
                       "sweeps": {k: [[t, list(s)] for t, s in v] for k, v in results.items()}}, f, indent=1)


if __name__ == "__main__":
    main()
