#!/usr/bin/env bash
# One command that compares curate with its peers and writes BENCHMARKS.md (`make bench`; never run in CI).
#
#   scripts/bench.sh                      # BENCH_SCALE=small: end-to-end at 10k and 100k rows, clustering at 100k
#   BENCH_SCALE=full scripts/bench.sh     # adds 1M rows to both (~1M small JPEGs, ~6 GB of scratch, well over an
#                                         # hour on 2 cores; 1M sizes run BENCH_REPS_LARGE times)
#
# Environment (all optional):
#   BENCH_SCALE=small|full     which sizes to run (default small)
#   BENCH_REPS=N               runs per timing; the median is reported (default 3)
#   BENCH_REPS_LARGE=N         runs per timing at 1M rows and more, cluster and e2e sections (default 1)
#   BENCH_SKIP=a,b             sections to skip: setup, hash, neardup, heldout, unseen, unseen2, pages, orient,
#                              tiles, cluster, e2e
#   BENCH_E2E_SIZES="N ..."    override the end-to-end sizes of BENCH_SCALE (e.g. "10000" for a quick check)
#   BENCH_CLUSTER_SIZES="N ..." override the clustering sizes of BENCH_SCALE
#   BENCH_WORK=DIR             scratch data (default ${TMPDIR:-/tmp}/curate-bench; several GB at full scale).
#                              Data under it is reused when present (the neardup, heldout, unseen and unseen2 builds,
#                              scale/rows-N.jsonl and scale/nN/embeddings.npy); scale/ is only read once made, so it
#                              may be a symlink.
#   BENCH_NEARDUP=DIR          an existing scripts/make-neardup-eval.py build to reuse (default: built in BENCH_WORK)
#   BENCH_HELDOUT=DIR          an existing scripts/make-heldout-eval.py build to reuse (default: built in BENCH_WORK;
#                              the held-out near-duplicate set, gcompris-qt-data photos no threshold was tuned on)
#   BENCH_UNSEEN=DIR           an existing scripts/make-unseen-eval.py build to reuse (default: built in BENCH_WORK;
#                              176 photos of other Debian packages; its builder downloads them with apt-get and the
#                              section is skipped, with a note, when it cannot)
#   BENCH_UNSEEN2=DIR          an existing scripts/make-unseen2-eval.py build to reuse (default: built in BENCH_WORK;
#                              148 photos of 28 more Debian packages, downloaded with apt-get; skipped, with a note,
#                              when they cannot be)
#   BENCH_SOURCE_MERGE=T       threshold of scripts/bench/source-pairs.py: source photos of the near-duplicate
#                              benchmark at or above it count as one photo in the "merged" scoring (default 0.44,
#                              chosen by looking at the candidate pairs; the report lists them)
#   BENCH_IMAGEDEDUP=1         also pip-install imagededup's full dependencies (torch and the CUDA wheels, several
#                              GB); by default only what its hashing methods need
#   BENCH_OUT=FILE             where to write the results (default BENCHMARKS.md)
#
# Peers are installed from PyPI into .venv-bench/ (imagehash, pdqhash, faiss-cpu, imagededup, pillow, numpy,
# scipy); the photo packages of the near-duplicate benchmark come from Debian (apt-get). Raw measurements land in
# BENCH_WORK/results/; scripts/bench/write-report.py turns them into BENCH_OUT. Every figure of the report comes
# from that folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCALE=${BENCH_SCALE:-small}
REPS=${BENCH_REPS:-3}
REPS_LARGE=${BENCH_REPS_LARGE:-1}
MERGE_AT=${BENCH_SOURCE_MERGE:-0.44}
SKIP=",${BENCH_SKIP:-},"
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/curate-bench}
OUT=${BENCH_OUT:-BENCHMARKS.md}
VENV=$ROOT/.venv-bench
PY=$VENV/bin/python
BIN=$ROOT/.build/release/curate
POLICY=$ROOT/policies/audit-only.yaml
RES=$WORK/results
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
case "$SCALE" in
    small) E2E_SIZES="10000 100000"; CLUSTER_SIZES="100000" ;;
    full) E2E_SIZES="10000 100000 1000000"; CLUSTER_SIZES="100000 1000000" ;;
    *) echo "BENCH_SCALE must be small or full, not '$SCALE'" >&2; exit 2 ;;
esac
E2E_SIZES=${BENCH_E2E_SIZES:-$E2E_SIZES}
CLUSTER_SIZES=${BENCH_CLUSTER_SIZES:-$CLUSTER_SIZES}
IDX=$WORK/index # every index the runs write (the scale data folder is never written once made)
mkdir -p "$WORK" "$RES" "$IDX"

say() { printf '\n== %s (%s UTC)\n' "$*" "$(date -u +%H:%M:%S)" >&2; }
reps_for() { if [ "$1" -ge 1000000 ]; then echo "$REPS_LARGE"; else echo "$REPS"; fi; }
SECTION=
SECTION_START=0
section() { # section NAME: ends the previous section (its wall seconds go to sections.tsv) and starts NAME
    local now; now=$(date +%s)
    [ -n "$SECTION" ] && printf '%s\t%s\n' "$SECTION" $((now - SECTION_START)) >>"$RES/sections.tsv"
    SECTION=$1
    SECTION_START=$now
}
skipped() { [[ "$SKIP" == *",$1,"* ]]; }
# build_if_missing DIR WHAT CMD...: unless DIR/manifest.jsonl exists, runs CMD (the builder of the set in DIR, its
# output to stderr) and returns its status.
build_if_missing() {
    [ -f "$1/manifest.jsonl" ] && return 0
    say "building the $2 in $1"
    "${@:3}" >&2
}
note() { # note SECTION TEXT: a line for the report's "skipped / notes" list
    printf '%s\t%s\n' "$1" "$2" >>"$RES/notes.tsv"
    echo "note: $2" >&2
}
apt_install() {
    local missing=() p
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "apt-get install ${missing[*]}" >&2
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}
# timed NAME CMD...: runs CMD under /usr/bin/time and appends "name wall user sys maxrss_kb" to $RES/times.tsv.
timed() {
    local name=$1; shift
    local tf; tf=$(mktemp)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@"; then
        echo "command failed: $*" >&2; rm -f "$tf"; return 1
    fi
    printf '%s %s\n' "$name" "$(tail -1 "$tf")" >>"$RES/times.tsv"
    rm -f "$tf"
}

rm -f "$RES"/* # every number in the report comes from this run
touch "$RES/times.tsv" "$RES/notes.tsv" "$RES/sections.tsv"
printf '%s\n' "$SCALE" >"$RES/scale"
printf '%s\n' "$REPS" >"$RES/reps"
printf '%s\n' "$REPS_LARGE" >"$RES/reps-large"
printf '%s\n' "$E2E_SIZES" >"$RES/e2e-sizes"
printf '%s\n' "$CLUSTER_SIZES" >"$RES/cluster-sizes"
printf '%s\n' "${BENCH_SKIP:-}" >"$RES/skip"
date -u '+%Y-%m-%d %H:%M UTC' >"$RES/date"
{ git rev-parse --short HEAD && { git diff --quiet HEAD -- Sources scripts || echo "(with uncommitted changes)"; }; } 2>/dev/null |
    paste -sd' ' >"$RES/commit" || true
uptime >"$RES/load-before"

# ---------------------------------------------------------------------------------------------------------------
say "setup: release build, tools, peers"
section setup
[ -x /usr/bin/time ] || apt_install time
if ! skipped setup; then
    swift build -c release >&2
    apt_install libturbojpeg0-dev python3-venv python3-skimage opencv-doc mate-backgrounds plasma-workspace-wallpapers
    skipped heldout || apt_install gcompris-qt-data
    [ -x "$PY" ] || python3 -m venv "$VENV"
    "$PY" -m pip install -q --upgrade imagehash pdqhash faiss-cpu pillow numpy scipy >&2
    if [ "${BENCH_IMAGEDEDUP:-0}" = 1 ]; then
        "$PY" -m pip install -q imagededup >&2 || note setup "imagededup failed to install from PyPI; skipped"
    else
        # Its hashing methods need none of torch/torchvision/matplotlib (scripts/bench/imagededup_hashing.py).
        "$PY" -m pip install -q --no-deps imagededup >&2 && "$PY" -m pip install -q PyWavelets tqdm scikit-learn >&2 ||
            note setup "imagededup failed to install from PyPI; skipped"
    fi
fi
[ -x "$BIN" ] || { echo "no release build at $BIN (run without BENCH_SKIP=setup)" >&2; exit 1; }
[ -x "$PY" ] || { echo "no benchmark venv at $VENV (run without BENCH_SKIP=setup)" >&2; exit 1; }
PYTHONPATH=scripts/bench "$PY" -c 'import imagededup_hashing; imagededup_hashing.hashing_methods().PHash' 2>/dev/null ||
    note setup "imagededup not measured: it did not install or import"
cc -O2 scripts/bench/decode-limit.c -lturbojpeg -o "$WORK/decode-limit"
swift --version 2>&1 | head -1 >"$RES/swift-version"
"$PY" - >"$RES/peer-versions.json" <<'PYEOF'
import importlib.metadata as m, json
out = {}
for name in ["imagehash", "pdqhash", "faiss-cpu", "imagededup", "pillow", "numpy", "scipy"]:
    try:
        out[name] = m.version(name)
    except m.PackageNotFoundError:
        out[name] = None
print(json.dumps(out))
PYEOF

# The near-duplicate benchmark (also the pool of real files for the scale runs).
ND=${BENCH_NEARDUP:-$WORK/neardup}
build_if_missing "$ND" "near-duplicate benchmark" "$PY" scripts/make-neardup-eval.py --out "$ND"
# curate reads images only inside the manifest's folder: a keyed copy of the manifest lives beside images/.
keyed_manifest() { # keyed_manifest DIR: DIR/manifest-keyed.jsonl ({"key": file name, "image": relative path})
    "$PY" - "$1" <<'PYEOF'
import json, os, sys
nd = sys.argv[1]
path = os.path.join(nd, "manifest-keyed.jsonl")
lines = []
for line in open(os.path.join(nd, "manifest.jsonl")):
    it = json.loads(line)
    key = os.path.splitext(os.path.basename(it["path"]))[0]
    lines.append(json.dumps({"key": key, "image": os.path.relpath(it["path"], nd)}) + "\n")
if not os.path.exists(path) or open(path).read() != "".join(lines):
    with open(path, "w") as f:
        f.writelines(lines)
PYEOF
}
keyed_manifest "$ND"
printf '%s\n' "$ND" >"$RES/neardup-dir"

# ---------------------------------------------------------------------------------------------------------------
if ! skipped hash; then
    say "hashing throughput per core"
    section hash
    HD=$WORK/hash-jpegs
    mkdir -p "$HD"
    cp -u "$ND"/images/*-original.jpg "$HD"/
    COUNT=$(find "$HD" -maxdepth 1 -name '*.jpg' | wc -l)
    echo "$COUNT" >"$RES/hash-count"
    # In-process, one thread (scripts/bench-hash.sh: the HashBenchmark test against the decode limit at the same
    # DCT scale and imagehash.phash, best of 3 rounds in thread CPU time). Its test build is separate from .build.
    swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$ROOT/.build-bench" >&2
    for r in $(seq 1 "$REPS"); do
        CURATE_BENCH_SKIP_BUILD=1 PYTHON="$PY" scripts/bench-hash.sh "$HD" | tee -a "$RES/bench-hash.txt" >&2 ||
            note hash "scripts/bench-hash.sh failed in run $r (its output, if any, is in bench-hash.txt)"
    done
    # Whole process: start-up, file reading and SQLite index writes included.
    for r in $(seq 1 $((REPS + 2))); do # cold index each time: every image decoded and hashed on one worker
        rm -f "$IDX/hash-index.sqlite"*
        timed "hash.ours" "$BIN" scan "$HD" --jobs 1 --index "$IDX/hash-index.sqlite" -q
    done
    for r in $(seq 1 "$REPS"); do
        find "$HD" -maxdepth 1 -name '*.jpg' | sort | "$WORK/decode-limit" 3 >>"$RES/decode-limit.txt"
    done
    for r in $(seq 1 "$REPS"); do
        OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONPATH=scripts/bench "$PY" scripts/bench/peers-hash.py "$HD" 3 \
            >>"$RES/peers-hash.jsonl"
    done
fi

# ---------------------------------------------------------------------------------------------------------------
if ! skipped neardup; then
    say "near-duplicate F1 (curate audit with policies/audit-only.yaml vs peers at their best thresholds)"
    section neardup
    rm -rf "$WORK/neardup-out" "$IDX/neardup-index.sqlite"*
    timed "neardup.ours_cold" "$BIN" audit "$ND/manifest-keyed.jsonl" --key-field key --image-field image \
        --policy "$POLICY" --index "$IDX/neardup-index.sqlite" --out "$WORK/neardup-out" -q
    # Near-identical source photos (no perceptual hash involved), for the second, "merged" scoring.
    "$PY" scripts/bench/source-pairs.py "$ND/manifest.jsonl" "$MERGE_AT" >"$RES/source-pairs.json" \
        2> >(tee "$RES/source-pairs.txt" >&2)
    mkdir -p "$WORK/peer-cache"
    PYTHONPATH=scripts/bench "$PY" scripts/bench/neardup-score.py "$ND/manifest.jsonl" \
        "$WORK/neardup-out/clusters.jsonl" "$WORK/peer-cache" "$RES/source-pairs.json" >"$RES/neardup.json"
    "$PY" - "$RES/neardup.json" >>"$RES/notes.tsv" <<'PYEOF'
import json, sys
for s in json.load(open(sys.argv[1])).get("skipped", []):
    print(f"neardup\tnot scored: {s}")
PYEOF
fi

# ---------------------------------------------------------------------------------------------------------------
# extra_set NAME DIR: curate (cold index, policy defaults) and the peers on a check set built in DIR, scored as
# labelled into $RES/NAME.json.
extra_set() {
    local name=$1 dir=$2
    keyed_manifest "$dir"
    printf '%s\n' "$dir" >"$RES/$name-dir"
    rm -rf "$WORK/$name-out" "$IDX/$name-index.sqlite"*
    timed "$name.ours_cold" "$BIN" audit "$dir/manifest-keyed.jsonl" --key-field key --image-field image \
        --policy "$POLICY" --index "$IDX/$name-index.sqlite" --out "$WORK/$name-out" -q
    mkdir -p "$WORK/peer-cache-$name"
    PYTHONPATH=scripts/bench "$PY" scripts/bench/neardup-score.py "$dir/manifest.jsonl" \
        "$WORK/$name-out/clusters.jsonl" "$WORK/peer-cache-$name" >"$RES/$name.json"
    "$PY" - "$RES/$name.json" "$name" >>"$RES/notes.tsv" <<'PYEOF'
import json, sys
for s in json.load(open(sys.argv[1])).get("skipped", []):
    print(f"{sys.argv[2]}\tnot scored: {s}")
PYEOF
}

if ! skipped heldout; then
    say "held-out near-duplicate F1 (gcompris-qt-data photos and transforms no threshold was tuned on)"
    section heldout
    HO=${BENCH_HELDOUT:-$WORK/heldout}
    build_if_missing "$HO" "held-out near-duplicate benchmark" "$PY" scripts/make-heldout-eval.py --out "$HO"
    extra_set heldout "$HO"
fi

# downloaded_set NAME DIR WHAT SCRIPT: scores a set whose builder downloads Debian packages; a failed download is a
# note in the report, not the end of the run.
downloaded_set() {
    local name=$1 dir=$2 what=$3 script=$4
    section "$name"
    build_if_missing "$dir" "$what" "$PY" "$script" --out "$dir" || true
    if [ -f "$dir/manifest.jsonl" ]; then
        extra_set "$name" "$dir"
    else
        note "$name" "$script could not build the set (its message is in the log); not scored"
    fi
}

if ! skipped unseen; then
    say "unseen near-duplicate F1 (176 photos of Debian packages no threshold was tuned on, 13 copies each)"
    downloaded_set unseen "${BENCH_UNSEEN:-$WORK/unseen}" "unseen near-duplicate set" scripts/make-unseen-eval.py
fi

if ! skipped unseen2; then
    say "second unseen near-duplicate F1 (148 photos of 28 other Debian packages, 13 copies each)"
    downloaded_set unseen2 "${BENCH_UNSEEN2:-$WORK/unseen2}" "second unseen near-duplicate set" \
        scripts/make-unseen2-eval.py
fi

if ! skipped pages; then
    say "near-duplicate F1 of photos shown inside pages (four page layouts around the benchmark's photos)"
    section pages
    PG=$WORK/pages
    build_if_missing "$PG" "page-layout set" "$PY" scripts/make-page-eval.py "$ND" "$PG"
    extra_set pages "$PG"
fi

if ! skipped orient; then
    say "near-duplicate F1 of copies turned on their side or upside down (the held-out and unseen sets' photos)"
    section orient
    OR=$WORK/orient
    sources=()
    for set in "${BENCH_HELDOUT:-$WORK/heldout}" "${BENCH_UNSEEN:-$WORK/unseen}"; do
        [ -f "$set/manifest.jsonl" ] && sources+=("$set")
    done
    if [ ${#sources[@]} -gt 0 ]; then
        # Built again when its sources change (a run that could not build the unseen set left a set of the
        # held-out photos only), with the peers' cached hashes, which are keyed by image path.
        if [ -f "$OR/manifest.jsonl" ] && [ "$(cat "$OR/sources.txt" 2>/dev/null)" != "${sources[*]}" ]; then
            say "the orientation set's sources changed: building it again"
            rm -rf "$OR" "$WORK/peer-cache-orient"
        fi
        build_if_missing "$OR" "orientation set" "$PY" scripts/make-orientation-eval.py "$OR" "${sources[@]}"
        printf '%s\n' "${sources[*]}" >"$OR/sources.txt"
        extra_set orient "$OR"
    else
        note orient "neither the held-out nor the unseen set was built; the orientation set takes their photos"
    fi
fi

if ! skipped tiles && [ -f "$RES/neardup.json" ]; then
    say "false joins on flat tiles of real photos (peers at their thresholds tuned on the near-duplicate benchmark)"
    section tiles
    TL=$WORK/tiles
    build_if_missing "$TL" "tile set" "$PY" scripts/make-tile-eval.py --out "$TL"
    keyed_manifest "$TL"
    rm -rf "$WORK/tiles-out" "$IDX/tiles-index.sqlite"*
    timed "tiles.ours_cold" "$BIN" audit "$TL/manifest-keyed.jsonl" --key-field key --image-field image \
        --policy "$POLICY" --index "$IDX/tiles-index.sqlite" --out "$WORK/tiles-out" -q
    mkdir -p "$WORK/peer-cache-tiles"
    PYTHONPATH=scripts/bench "$PY" scripts/bench/tiles-score.py "$TL/manifest.jsonl" "$WORK/tiles-out/clusters.jsonl" \
        "$WORK/peer-cache-tiles" "$RES/neardup.json" >"$RES/tiles.json"
fi

# ---------------------------------------------------------------------------------------------------------------
# Scale data: manifests in $WORK/scale/ beside pool/ (hard links to the benchmark's images).
POOL=$WORK/scale/pool
prepare_scale() { # prepare_scale N [--embeddings]
    local n=$1 dir=$WORK/scale/n$1
    mkdir -p "$POOL"
    if [ ! -f "$WORK/scale/pool.txt" ]; then
        cp -lu "$ND"/images/*.jpg "$POOL"/ 2>/dev/null || cp -u "$ND"/images/*.jpg "$POOL"/
        (cd "$WORK/scale" && find pool -name '*.jpg' | sort >pool.txt)
    fi
    if [ ! -f "$WORK/scale/rows-$n.jsonl" ]; then
        echo "generating $n rows" >&2
        "$PY" scripts/bench/make-scale.py "$dir" "$n" "$WORK/scale/pool.txt" >&2
        mv "$dir/manifest.jsonl" "$WORK/scale/rows-$n.jsonl"
    fi
    if [ "${2:-}" = --embeddings ] && [ ! -f "$dir/embeddings.npy" ]; then
        echo "generating $n embeddings" >&2
        "$PY" scripts/bench/make-scale.py "$dir" "$n" "$WORK/scale/pool.txt" --embeddings >&2
        rm -f "$dir/manifest.jsonl"
    fi
}
audit_scale() { # audit_scale NAME N INDEX [--embeddings FILE]: one curate audit of rows-N.jsonl
    local name=$1 n=$2 index=$3; shift 3
    rm -rf "$WORK/audit-out"
    timed "$name" "$BIN" audit "$WORK/scale/rows-$n.jsonl" --key-field key --image-field image --caption-field caption \
        "$@" --policy "$POLICY" --index "$index" --out "$WORK/audit-out" -q
    "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({"name": sys.argv[2], "timings": r["timings"]}))' \
        "$WORK/audit-out/run.json" "$name" >>"$RES/stages.jsonl"
}

if ! skipped cluster; then
    for n in $CLUSTER_SIZES; do
        say "clustering at $n rows: curate (embedding stage of a warm audit) vs faiss-cpu"
        section "cluster $n"
        prepare_scale "$n" --embeddings
        idx=$IDX/cluster-index.sqlite
        "$BIN" scan "$WORK/scale/rows-$n.jsonl" --key-field key --image-field image --index "$idx" -q >/dev/null
        for r in $(seq 1 "$(reps_for "$n")"); do
            audit_scale "cluster.ours.$n.noemb" "$n" "$idx"
            audit_scale "cluster.ours.$n.emb" "$n" "$idx" --embeddings "$WORK/scale/n$n/embeddings.npy"
            tf=$(mktemp)
            /usr/bin/time -f '%e %U %S %M' -o "$tf" "$PY" scripts/bench/faiss-cluster.py \
                "$WORK/scale/n$n/embeddings.npy" "$(nproc)" >>"$RES/faiss-$n.jsonl"
            printf '%s %s\n' "cluster.faiss.$n" "$(tail -1 "$tf")" >>"$RES/times.tsv"
            rm -f "$tf"
        done
    done
fi

# ---------------------------------------------------------------------------------------------------------------
if ! skipped e2e; then
    for n in $E2E_SIZES; do
        say "end-to-end curate audit at $n rows"
        section "e2e $n"
        prepare_scale "$n"
        idx=$IDX/e2e-index-$n.sqlite
        rm -f "$idx"*
        audit_scale "e2e.$n.cold" "$n" "$idx"            # empty index: every distinct pool image decoded once
        for r in $(seq 1 "$(reps_for "$n")"); do
            audit_scale "e2e.$n.warm" "$n" "$idx"        # index filled by the cold run: nothing decoded
        done
    done
fi

section done
uptime >"$RES/load-after"
say "writing $OUT"
"$PY" scripts/bench/write-report.py "$RES" "$OUT"
echo "wrote $OUT (raw numbers in $RES)" >&2
