#!/usr/bin/env bash
# Reader throughput (JSONL plain and lz4, CSV with our parser and with CSV.swift) on generated manifests
# in a temporary folder. Usage: scripts/bench-readers.sh [ROWS]   (default 1,000,000 rows)
set -euo pipefail
cd "$(dirname "$0")/.."
CURATE_BENCH_READERS=1 CURATE_BENCH_ROWS="${1:-1000000}" \
    swift test -c release --filter ReaderBenchmarkTests 2>&1 | grep '\[bench-readers\]'
