#!/usr/bin/env bash
# Runs the main job on the bundled demo dataset (examples/demo): a dry-run audit with the word-trigger policy.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/demo}
bin=.build/release/curate
rm -rf "$out"
"$bin" audit examples/demo/manifest.jsonl \
    --embeddings examples/demo/embeddings.npy \
    --objects examples/demo/objects.jsonl \
    --index out/demo-index.sqlite \
    --policy policies/mitigate-word-triggers.yaml \
    --out "$out"
echo
echo "Open $out/report.html in a browser; apply the policy with:"
echo "  $bin apply examples/demo/manifest.jsonl --embeddings examples/demo/embeddings.npy --objects examples/demo/objects.jsonl --policy policies/mitigate-word-triggers.yaml --out out/cleaned"
