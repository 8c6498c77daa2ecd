#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the raw measurements of scripts/bench.sh.

    write-report.py RESULTS_DIR OUT.md

RESULTS_DIR holds times.tsv (name wall user sys maxrss_kb per command, from /usr/bin/time), stages.jsonl (the
stage timings of each curate run's run.json), decode-limit.txt, peers-hash.jsonl, neardup.json, faiss-N.jsonl,
notes.tsv and a few one-line files about the machine. Every timing shown is the median of the runs made.
"""
import json
import os
import platform
import subprocess
import sys
from statistics import median


def read(path, default=""):
    try:
        return open(path).read().strip()
    except OSError:
        return default


def jsonl(path):
    try:
        return [json.loads(line) for line in open(path) if line.strip()]
    except OSError:
        return []


def machine(res):
    cpu = "unknown"
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "unknown"
    for line in read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    os_name = "Linux"
    for line in read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            os_name = line.split("=", 1)[1].strip('"')
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return [
        ("CPU", f"{cpu}, {nproc} cores visible (`nproc`)"),
        ("Memory", mem),
        ("OS", f"{os_name}, kernel {platform.release()}"),
        ("Swift", read(os.path.join(res, "swift-version"))),
        ("Peers", ", ".join(f"{k} {v}" for k, v in json.loads(read(os.path.join(res, "peer-versions.json"), "{}")).items() if v)),
        ("Load before", read(os.path.join(res, "load-before"))),
        ("Load after", read(os.path.join(res, "load-after"))),
    ]


def main():
    res, out = sys.argv[1], sys.argv[2]
    times = {}
    for line in read(os.path.join(res, "times.tsv")).splitlines():
        name, wall, user, system, rss = line.split()
        times.setdefault(name, []).append((float(wall), float(user) + float(system), int(rss) / 1024))

    def med(name, k):
        rows = times.get(name, [])
        return median(r[k] for r in rows) if rows else None

    stages = {}
    for row in jsonl(os.path.join(res, "stages.jsonl")):
        stages.setdefault(row["name"], []).append(row["timings"])

    def stage(name, key):
        rows = stages.get(name, [])
        return median(r.get(key, 0) for r in rows) if rows else None

    scale, reps = read(os.path.join(res, "scale"), "?"), read(os.path.join(res, "reps"), "?")
    notes = [line.split("\t", 1)[1] for line in read(os.path.join(res, "notes.tsv")).splitlines() if "\t" in line]
    L = []
    w = L.append
    w("# Benchmarks")
    w("")
    w("Produced by `make bench` (`scripts/bench.sh`, never run in CI): curate and its peers measured in the same run")
    w(f"on the same machine and data. Scale `BENCH_SCALE={scale}`; every timing is the median of {reps} runs unless")
    w("stated. *Wall* is elapsed seconds; *CPU* is user + system seconds of the whole process (`/usr/bin/time`);")
    w("*peak RSS* is the whole command's maximum resident set.")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in machine(res):
        w(f"| {k} | {v} |")
    w("")
    w("**Noise.** This machine is shared: while these numbers were taken, other jobs (parallel Swift builds) were")
    w("running on the same 2 cores, so the load average was far above 2 (see the load lines above). Wall times are")
    w("inflated and vary run to run; CPU seconds (user + sys) are the steadier measure and are shown beside them.")
    w("Ratios between curate and a peer are more trustworthy than absolute numbers, but both sides saw a different")
    w("slice of the contention, so treat differences under ~20% as noise.")
    w("")
    w("## Commands")
    w("")
    w("```sh")
    w(f"BENCH_SCALE={scale} BENCH_REPS={reps} make bench        # = swift build -c release && scripts/bench.sh")
    w("```")
    w("")
    w("What the script runs, per section (skip any with `BENCH_SKIP=hash,neardup,cluster,e2e`):")
    w("")
    w("- **hash**: `curate scan DIR --jobs 1 --index NEW.sqlite` (cold index: every image decoded and hashed) on the")
    w("  benchmark's original photos; `scripts/bench/decode-limit.c` (full-size TurboJPEG decode loop, one thread);")
    w("  `scripts/bench/peers-hash.py` (each peer on the same files, one thread, in-memory bytes).")
    w("- **neardup**: `curate audit manifest-keyed.jsonl --policy policies/audit-only.yaml` on the benchmark of")
    w("  `scripts/make-neardup-eval.py`, then `scripts/bench/neardup-score.py` scores its `clusters.jsonl` and the")
    w("  peers against the manifest's group ids.")
    w("- **cluster**: `curate audit rows-N.jsonl [--embeddings embeddings.npy]` on a warm index, and")
    w("  `scripts/bench/faiss-cluster.py embeddings.npy` (faiss-cpu IVF-Flat range search + connected components).")
    w("- **e2e**: `curate audit rows-N.jsonl --policy policies/audit-only.yaml` with an empty index (cold) and again")
    w("  with the index it filled (warm). Data from `scripts/bench/make-scale.py`.")
    w("")

    # --- hashing -----------------------------------------------------------------------------------------------
    count = read(os.path.join(res, "hash-count"))
    if count and times.get("hash.ours"):
        n = int(count)
        ours = n / med("hash.ours", 1)
        w("## Hashing throughput per core")
        w("")
        w(f"{n} real photos (the benchmark's originals, long side ≤ 1024 px). Images per CPU second on one thread.")
        w("curate's number is the whole `curate scan --jobs 1` process (start-up, file reading, SQLite index writes")
        w("included) and computes pHash, dHash and PDQ of the image, its mirror, its trimmed and centered views plus")
        w("XXH3-128; each peer computes one hash of the image as is.")
        w("")
        w("| method | images / CPU s | curate ÷ method |")
        w("|---|---:|---:|")
        w(f"| **curate scan** (all hashes, all views) | {ours:.0f} | 1.00 |")
        dec = [line.split() for line in read(os.path.join(res, "decode-limit.txt")).splitlines() if line.strip()]
        if dec:
            d = median(float(x[1]) for x in dec)
            w(f"| TurboJPEG full-size decode only (the decode limit) | {d:.0f} | {ours / d:.2f} |")
        peers = jsonl(os.path.join(res, "peers-hash.jsonl"))
        for name in ["imagehash.phash", "imagehash.dhash", "pdqhash", "imagededup.PHash"]:
            vals = [p[name] for p in peers if p.get(name)]
            if vals:
                v = median(vals)
                w(f"| {name} (Pillow decode + hash) | {v:.0f} | {ours / v:.2f} |")
            else:
                w(f"| {name} | not measured | |")
        w("")
        w("curate decodes JPEGs with DCT scaling (at the size the hashes need), which is why it can beat a full-size")
        w("decode of the same files.")
        w("")

    # --- near-duplicates ---------------------------------------------------------------------------------------
    nd = read(os.path.join(res, "neardup.json"))
    if nd:
        nd = json.loads(nd)
        methods = nd["methods"]
        names = list(methods)
        w("## Near-duplicate detection: pair F1 by transform")
        w("")
        w(f"{nd['images']} images in {nd['groups']} groups (one real photo from Debian's python3-skimage, opencv-doc,")
        w("mate-backgrounds and plasma-workspace-wallpapers each, plus its transformed copies). Pair precision /")
        w("recall / F1 of the clustering against the group ids. **curate runs with the policy's default thresholds**")
        w("through the real CLI; each peer is clustered by union-find at **its best threshold on this very")
        w("benchmark** (an oracle choice that favours the peers).")
        w("")
        cold = times.get("neardup.ours_cold")
        if cold:
            wall, cpu, rss = cold[0]
            w(f"`curate audit` of the whole benchmark (cold index, one run): {wall:.1f} s wall, {cpu:.1f} s CPU, "
              f"{rss:.0f} MB peak RSS.")
            w("")
        w("| method | threshold | precision | recall | F1 |")
        w("|---|---:|---:|---:|---:|")
        for m in names:
            v = methods[m]
            t = "policy default" if v["threshold"] is None else v["threshold"]
            w(f"| {m} | {t} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
        w("")
        ours = names[0]
        best_peer = max(names[1:], key=lambda m: methods[m]["f1"]) if len(names) > 1 else None
        if best_peer:
            w(f"curate's F1 is {methods[ours]['f1'] / max(methods[best_peer]['f1'], 1e-9):.2f}× that of the best peer"
              f" ({best_peer}).")
            w("")
        w("F1 per transform (the clustering of the whole set, restricted to the originals plus that transform's copies):")
        w("")
        w("| transform | " + " | ".join(names) + " | curate − best peer |")
        w("|---|" + "---:|" * (len(names) + 1))
        for t in methods[ours]["per_transform"]:
            vals = [methods[m]["per_transform"][t] for m in names]
            delta = vals[0] - max(vals[1:]) if len(vals) > 1 else 0
            w(f"| {t} | " + " | ".join(f"{x:.2f}" for x in vals) + f" | {delta:+.2f} |")
        w("")

    # --- clustering at scale -----------------------------------------------------------------------------------
    sizes = sorted({int(k.split(".")[2]) for k in times if k.startswith("cluster.ours.")})
    if sizes:
        w("## Clustering at scale: curate vs faiss-cpu")
        w("")
        w("The same N-row datasets as the end-to-end runs below, plus synthetic 512-d float16 embeddings with planted")
        w("near-copies (`scripts/bench-cluster.py`'s generator;")
        w("~10% of rows are copies at cosine 0.87–0.999), every pair with cosine ≥ 0.92 then connected components.")
        w("curate's side is the `cluster` stage of `curate audit --embeddings` on a warm index (from `run.json`; it also")
        w("clusters the pHash/PDQ/exact evidence of the rows' images); *embedding part* subtracts the same stage of")
        w("the same audit without `--embeddings` (its CPU column: the difference of")
        w("the two whole commands' median CPU seconds, as run.json times stages in wall seconds only). faiss-cpu: IVF-Flat with √N lists, nprobe doubled from 2 until")
        w("≥ 0.995 recall on 200 sampled queries (calibration not timed; curate calibrates the same way and that is")
        w("timed), `range_search` over all rows, scipy connected components. Peak RSS is the whole process for both")
        w("(curate's also holds the dataset, index and statistics; faiss' holds the float32 copy of the matrix).")
        w("")
        w("*curate ÷ faiss* below 1 means curate is faster / smaller.")
        w("")
        w("| rows | curate cluster stage s | curate embedding part s | curate embedding part CPU s | faiss index+search s | "
          "faiss CPU s | curate ÷ faiss (wall) | curate ÷ faiss (CPU) | curate peak RSS MB | faiss peak RSS MB | RSS ratio | faiss nprobe / recall |")
        w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for n in sizes:
            c_emb = stage(f"cluster.ours.{n}.emb", "cluster") + stage(f"cluster.ours.{n}.emb", "embeddings")
            c_no = stage(f"cluster.ours.{n}.noemb", "cluster")
            part = c_emb - c_no
            fa = jsonl(os.path.join(res, f"faiss-{n}.jsonl"))
            fw = median(f["cluster_wall"] for f in fa) if fa else float("nan")
            fc = median(f["cluster_cpu"] for f in fa) if fa else float("nan")
            probes = f"{fa[-1]['probes']} / {fa[-1]['sampled_recall']:.3f}" if fa else ""
            rss_o = med(f"cluster.ours.{n}.emb", 2)
            rss_f = med(f"cluster.faiss.{n}", 2)
            cpu_part = med(f"cluster.ours.{n}.emb", 1) - med(f"cluster.ours.{n}.noemb", 1)
            w(f"| {n:,} | {c_emb:.2f} | {part:.2f} | {cpu_part:.2f} | {fw:.2f} | {fc:.2f} | {part / fw:.2f} | "
              f"{cpu_part / fc:.2f} | {rss_o:.0f} | "
              f"{rss_f:.0f} | {rss_o / rss_f:.2f} | {probes} |")
        w("")
        w("Whole commands (median wall / CPU s): " + "; ".join(
            f"{n:,} rows — curate audit with embeddings {med(f'cluster.ours.{n}.emb', 0):.1f} / "
            f"{med(f'cluster.ours.{n}.emb', 1):.1f}, without {med(f'cluster.ours.{n}.noemb', 0):.1f} / "
            f"{med(f'cluster.ours.{n}.noemb', 1):.1f}, faiss script {med(f'cluster.faiss.{n}', 0):.1f} / "
            f"{med(f'cluster.faiss.{n}', 1):.1f}" for n in sizes) + ".")
        w("")

    # --- end to end --------------------------------------------------------------------------------------------
    sizes = sorted({int(k.split(".")[1]) for k in times if k.startswith("e2e.")})
    if sizes:
        w("## End-to-end `curate audit`")
        w("")
        w("JSONL datasets of N rows (key, image, caption) from `scripts/bench/make-scale.py`: 95% of rows have their")
        w("own small synthetic JPEG (64×64), 5% reference a pool of the near-duplicate benchmark's real photos (so")
        w("they form real clusters); captions are 5–14 words from a 5000-word Zipf vocabulary, with ten planted terms")
        w("tied to ten pool photos. *Cold*: empty index, every distinct image decoded and hashed (one run). *Warm*: the")
        w(f"index the cold run filled, nothing decoded (median of {reps}). No embeddings; all cores (`--jobs` default).")
        w("")
        w("| rows | cold wall s | cold CPU s | cold peak RSS MB | warm wall s | warm CPU s | warm peak RSS MB | "
          "warm µs CPU / row | warm stages, wall s (scan / terms / cluster / word triggers / after-stats / plan / write) |")
        w("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        prev = None
        growth = []
        for n in sizes:
            c, wm = f"e2e.{n}.cold", f"e2e.{n}.warm"
            st = " / ".join(f"{stage(wm, k) or 0:.2f}" for k in ["scan", "terms", "cluster", "word_triggers", "after_statistics", "plan", "write"])
            w(f"| {n:,} | {med(c, 0):.1f} | {med(c, 1):.1f} | {med(c, 2):.0f} | {med(wm, 0):.1f} | {med(wm, 1):.1f} | "
              f"{med(wm, 2):.0f} | {med(wm, 1) / n * 1e6:.0f} | {st} |")
            if prev:
                p = prev
                growth.append(f"{p:,} → {n:,} rows (×{n / p:g}): warm CPU ×{med(wm, 1) / med(f'e2e.{p}.warm', 1):.1f}, "
                              f"warm wall ×{med(wm, 0) / med(f'e2e.{p}.warm', 0):.1f}, "
                              f"peak RSS ×{med(wm, 2) / med(f'e2e.{p}.warm', 2):.1f}")
            prev = n
        w("")
        if growth:
            w("Growth: " + "; ".join(growth) + ".")
            w("")

    w("## Skipped and caveats")
    w("")
    for line in notes:
        w(f"- {line}")
    if scale == "small":
        w("- `BENCH_SCALE=small`: 1M rows (clustering and end-to-end) not run; `BENCH_SCALE=full` adds them.")
    w("- The near-duplicate benchmark is small (a few hundred source photos); its F1 numbers are exact for this set,")
    w("  not a confidence interval. Thresholds of the peers were tuned on it; curate's were not.")
    w("- faiss' peak RSS includes the exact (flat) index it builds for its recall check; curate's embedding part is a")
    w("  difference of two noisy whole-command timings, so it carries the noise of both.")
    w("- Peers run in Python; their per-image cost includes Pillow's decode, as it would in a real pipeline.")
    w("")
    open(out, "w").write("\n".join(L))


if __name__ == "__main__":
    main()
