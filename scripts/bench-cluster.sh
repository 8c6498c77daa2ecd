#!/usr/bin/env bash
# Scale benchmark of near-duplicate clustering: ours (release build, via the env-gated test) against faiss-cpu.
# Usage: scripts/bench-cluster.sh [N=1000000] [DIR]
#   needs /work/venv (or $PYTHON) with numpy and faiss-cpu (`pip install faiss-cpu`).
set -euo pipefail
N=${1:-1000000}
DIR=${2:-${TMPDIR:-/tmp}/curate-bench-cluster-$N}
PYTHON=${PYTHON:-/work/venv/bin/python}
cd "$(dirname "$0")/.."
if [ ! -f "$DIR/embeddings.npy" ]; then
    echo "generating $N samples in $DIR" >&2
    "$PYTHON" scripts/bench-cluster.py generate "$DIR" "$N"
fi
swift build -c release --build-tests >&2
CURATE_BENCH_CLUSTER="$DIR" swift test -c release --skip-build --filter ClusterBenchmarkTests >&2
"$PYTHON" scripts/bench-cluster.py compare "$DIR"
