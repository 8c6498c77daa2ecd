#!/usr/bin/env bash
# Decode throughput on the repo's 32 photos (<= 512 px): Pillow as the baseline, and optionally ours.
#
#   scripts/bench-decode.sh [ROUNDS]          Pillow only (seconds)
#   scripts/bench-decode.sh --ours [ROUNDS]   also curate's ImageDecoder, built in release mode in a
#                                             throwaway package under ${TMPDIR:-/tmp} that depends on this
#                                             checkout (nothing in the repo changes; the first build takes minutes)
#
# Rows: JPEG at full size; JPEG DCT-scaled to a shorter side >= 64 (Pillow's draft mode is the same libjpeg
# scaling as DecodeOptions.minimumSide); PNG and WebP (lossy, q80) re-encodings of the same photos.
# One thread. The lead's throughput benchmark is the authority; this is a quick side-by-side.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
PYTHON=${PYTHON:-/work/venv/bin/python}
OURS=0
if [ "${1:-}" = "--ours" ]; then OURS=1; shift; fi
ROUNDS=${1:-5}
WORK=${TMPDIR:-/tmp}/curate-bench-decode
mkdir -p "$WORK/encoded"

"$PYTHON" - "$ROUNDS" "$WORK/encoded" <<'PY'
import glob, io, os, sys, time
from PIL import Image

rounds, out = int(sys.argv[1]), sys.argv[2]
paths = sorted(glob.glob("Tests/Fixtures/photos/*.jpg"))
jpegs = [open(p, "rb").read() for p in paths]

def encode(fmt, ext, **kw):
    blobs = []
    for path, data in zip(paths, jpegs):
        buf = io.BytesIO()
        Image.open(io.BytesIO(data)).save(buf, fmt, **kw)
        blobs.append(buf.getvalue())
        name = os.path.basename(path)[:-4] + "." + ext
        open(os.path.join(out, name), "wb").write(buf.getvalue())
    return blobs

def bench(name, blobs, decode):
    decode(blobs[0])  # warm up
    start = time.perf_counter()
    for _ in range(rounds):
        for blob in blobs:
            decode(blob)
    elapsed = time.perf_counter() - start
    n = rounds * len(blobs)
    print(f"{name:30s} {n / elapsed:8.0f} images/s  ({n} decodes)")

def full(blob):
    im = Image.open(io.BytesIO(blob)); im.load(); im.convert("RGB")

def draft64(blob):
    im = Image.open(io.BytesIO(blob)); im.draft("RGB", (64, 64)); im.load()

print(f"Pillow {Image.__version__}, {len(jpegs)} photos, {rounds} rounds, one thread")
bench("pillow jpeg full", jpegs, full)
bench("pillow jpeg dct-scaled >=64", jpegs, draft64)
bench("pillow png", encode("PNG", "png"), full)
bench("pillow webp lossy q80", encode("WEBP", "webp", quality=80), full)
PY

[ "$OURS" = 1 ] || exit 0

PKG=$WORK/package
mkdir -p "$PKG/Sources/DecodeBench"
cat > "$PKG/Package.swift" <<EOF
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "DecodeBench",
    dependencies: [.package(path: "$REPO")],
    targets: [.executableTarget(name: "DecodeBench", dependencies: [.product(name: "Detect", package: "$(basename "$REPO")")])]
)
EOF
cat > "$PKG/Sources/DecodeBench/main.swift" <<'EOF'
import Detect
import Foundation

let arguments = CommandLine.arguments
let rounds = Int(arguments[1])!
func files(_ folder: String, _ suffix: String) throws -> [Data] {
    try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(suffix) }.sorted()
        .map { try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent($0)) }
}
func bench(_ label: String, _ blobs: [Data], _ options: DecodeOptions = DecodeOptions()) throws {
    _ = try ImageDecoder.decode(blobs[0], options: options)
    let start = Date()
    for _ in 0..<rounds { for blob in blobs { _ = try ImageDecoder.decode(blob, options: options) } }
    let count = rounds * blobs.count
    let rate = Double(count) / Date().timeIntervalSince(start)
    print(label.padding(toLength: 30, withPad: " ", startingAt: 0), String(format: "%8.0f images/s  (%d decodes)", rate, count))
}
let jpegs = try files(arguments[2], ".jpg")
try bench("curate jpeg full", jpegs)
try bench("curate jpeg dct-scaled >=64", jpegs, DecodeOptions(minimumSide: 64))
try bench("curate png", try files(arguments[3], ".png"))
try bench("curate webp lossy q80", try files(arguments[3], ".webp"))
EOF
(cd "$PKG" && swift build -c release >"$WORK/build.log" 2>&1) || { tail -20 "$WORK/build.log"; exit 1; }
echo "curate ImageDecoder (release), same photos and rounds"
"$PKG/.build/release/DecodeBench" "$ROUNDS" "$REPO/Tests/Fixtures/photos" "$WORK/encoded"
