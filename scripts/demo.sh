#!/usr/bin/env bash
# Runs the main job on the bundled demo dataset (examples/demo) with the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/demo}
bin=.build/release/curate
"$bin" scan examples/demo/manifest.jsonl --embeddings examples/demo/embeddings.npy --objects examples/demo/objects.jsonl
