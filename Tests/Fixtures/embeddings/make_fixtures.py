"""Writes the small .npy fixtures in this folder with numpy itself (run: /work/venv/bin/python make_fixtures.py).

Values are value[i, j] = (i * D + j) * 0.25 - 2, exact in float16 and float32, so tests can check them.
"""
import os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def grid(rows, dims, dtype):
    return ((np.arange(rows * dims, dtype=np.float64).reshape(rows, dims)) * 0.25 - 2).astype(dtype)


def save(name, array, version=None):
    path = os.path.join(here, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


save("f32_v1.npy", grid(6, 4, np.float32), version=(1, 0))
save("f16_v1.npy", grid(6, 4, np.float16), version=(1, 0))
save("f32_v2.npy", grid(6, 4, np.float32), version=(2, 0))
save("f16_v3.npy", grid(6, 4, np.float16), version=(3, 0))

# clip-retrieval img_emb/ layout; natural order puts img_emb_2 before img_emb_10.
rows = grid(5, 4, np.float16)
save("shards/img_emb_2.npy", rows[:3])
save("shards/img_emb_10.npy", rows[3:])

bad = grid(5, 4, np.float32)
bad[1, 2] = np.nan
bad[3, :] = 0
bad[4, 0] = np.inf
save("bad_rows.npy", bad)

save("fortran.npy", np.asfortranarray(grid(3, 4, np.float32)))
save("float64.npy", grid(2, 4, np.float64))
save("three_d.npy", grid(4, 2, np.float32).reshape(2, 2, 2))

# A whole header, then only part of the data.
full = open(os.path.join(here, "f32_v1.npy"), "rb").read()
open(os.path.join(here, "truncated.npy"), "wb").write(full[:-10])

# A header that claims 2^31 rows of 512 float16 with no data behind it.
header = "{'descr': '<f2', 'fortran_order': False, 'shape': (2147483648, 512), }"
header = header + " " * (64 - (10 + len(header) + 1) % 64) + "\n"
open(os.path.join(here, "huge_claim.npy"), "wb").write(
    b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\x00" * 64)
