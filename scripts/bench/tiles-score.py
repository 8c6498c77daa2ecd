#!/usr/bin/env python3
"""False joins on the flat-tile set: curate's clusters.jsonl against the Python peers (run by scripts/bench.sh).

    tiles-score.py MANIFEST KEYED_CLUSTERS CACHE_DIR NEARDUP_JSON  ->  JSON on stdout, table on stderr

MANIFEST is scripts/make-tile-eval.py's manifest (path, group = photo, source). No tile is a copy of another, but
tiles of one photo can be alike (two tiles of one sky), so only links across photos are surely false. Each peer
runs at the threshold it scored best with on the near-duplicate benchmark (NEARDUP_JSON, the "labelled" scoring
of scripts/bench/neardup-score.py): the threshold a user would tune on copies, applied to data without any.
curate runs with the policy's defaults, as everywhere. Reported per method: linked pairs, the share of them
across photos, photos joined to another photo, and the tiles of the largest cluster that spans photos.
"""
import importlib.util
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("neardup_score", os.path.join(HERE, "neardup-score.py"))
neardup = importlib.util.module_from_spec(spec)
spec.loader.exec_module(neardup)


def summary(labels, photos):
    """Linked pairs, pairs across photos, photos joined to another, largest cross-photo cluster (tiles)."""
    linked = across = largest = 0
    joined = set()
    members = {}
    for k, label in enumerate(labels):
        members.setdefault(int(label), []).append(k)
    for ks in members.values():
        if len(ks) < 2:
            continue
        counts = {}
        for k in ks:
            counts[int(photos[k])] = counts.get(int(photos[k]), 0) + 1
        pairs = len(ks) * (len(ks) - 1) // 2
        within = sum(c * (c - 1) // 2 for c in counts.values())
        linked += pairs
        across += pairs - within
        if len(counts) > 1:
            joined.update(counts)
            largest = max(largest, len(ks))
    return {"linked_pairs": linked, "pairs_across_photos": across,
            "share_across": across / linked if linked else 0.0, "photos_joined": len(joined),
            "largest_cross_cluster": largest}


def main():
    manifest, clusters, cache_dir, neardup_json = sys.argv[1:5]
    items = [json.loads(line) for line in open(manifest) if line.strip()]
    photos = np.array([it["group"] for it in items])
    index = {os.path.splitext(os.path.basename(it["path"]))[0]: k for k, it in enumerate(items)}
    ours = np.arange(len(items)) + 1_000_000
    for line in open(clusters):
        c = json.loads(line)
        for m in c["members"]:
            ours[index[m]] = c["id"]
    tuned = json.load(open(neardup_json))["scorings"]["labelled"]["methods"]

    import imagehash
    import pdqhash
    hashers = {
        "imagehash pHash": ("imagehash-phash", lambda im: str(imagehash.phash(im))),
        "pdqhash": ("pdqhash", lambda im: np.packbits(
            pdqhash.compute(np.asarray(im.convert("RGB")))[0].astype(np.uint8)).tobytes().hex()),
    }
    try:
        from imagededup_hashing import hashing_methods
        hasher = hashing_methods().PHash(verbose=False)
        hashers["imagededup PHash"] = (
            "imagededup-phash", lambda im: hasher.encode_image(image_array=np.asarray(im.convert("RGB"))))
    except Exception as error:
        print(f"  imagededup not available ({type(error).__name__}); skipped", file=sys.stderr)

    out = {"tiles": len(items), "photos": int(len(set(photos))), "methods": {}}
    out["methods"]["curate (policy defaults)"] = dict(summary(ours, photos), threshold=None)
    for name, (cache, compute) in hashers.items():
        if name not in tuned:
            continue
        threshold = tuned[name]["threshold"]
        hexes = neardup.cached_hashes(cache, items, cache_dir, compute)
        labels = neardup.components(neardup.hamming(neardup.bits(hexes)) <= threshold)
        out["methods"][name] = dict(summary(labels, photos), threshold=threshold)
    for name, m in out["methods"].items():
        print(f"  {name:26s} t={m['threshold']} pairs={m['linked_pairs']} across={m['share_across']:.3f} "
              f"photos_joined={m['photos_joined']} largest={m['largest_cross_cluster']}", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
