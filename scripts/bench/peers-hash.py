#!/usr/bin/env python3
"""Single-core hashing throughput of the Python peers on a folder of JPEGs (run by scripts/bench.sh).

    peers-hash.py DIR SECONDS  ->  JSON {peer: images per CPU second} on stdout

Each peer hashes every file of DIR (read once into memory, decoded by Pillow inside the timed loop) repeatedly
until SECONDS of CPU time have passed. Peers that are not installed are reported as null.
"""
import glob
import io
import json
import sys
import time

from PIL import Image


def rate(fn, blobs, seconds):
    for b in blobs[:4]:
        fn(b)  # warm-up (imports, caches)
    count, start = 0, time.process_time()
    while True:
        for b in blobs:
            fn(b)
        count += len(blobs)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return count / elapsed


def main():
    folder, seconds = sys.argv[1], float(sys.argv[2])
    blobs = [open(f, "rb").read() for f in sorted(glob.glob(folder + "/*.jp*g"))]
    peers = {}
    try:
        import imagehash
        peers["imagehash.phash"] = lambda b: imagehash.phash(Image.open(io.BytesIO(b)))
        peers["imagehash.dhash"] = lambda b: imagehash.dhash(Image.open(io.BytesIO(b)))
    except ImportError:
        pass
    try:
        import numpy as np
        import pdqhash
        peers["pdqhash"] = lambda b: pdqhash.compute(np.asarray(Image.open(io.BytesIO(b)).convert("RGB")))
    except ImportError:
        pass
    try:
        import numpy as np
        from imagededup_hashing import hashing_methods
        PHash = hashing_methods().PHash
        hasher = PHash(verbose=False)
        peers["imagededup.PHash"] = lambda b: hasher.encode_image(
            image_array=np.asarray(Image.open(io.BytesIO(b)).convert("RGB")))
    except Exception:
        pass
    out = {name: None for name in ["imagehash.phash", "imagehash.dhash", "pdqhash", "imagededup.PHash"]}
    for name, fn in peers.items():
        out[name] = rate(fn, blobs, seconds)
        print(f"  {name}: {out[name]:.1f} images per CPU second", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
