#!/usr/bin/env python3
"""Writes Tests/Fixtures/hostile/: small datasets full of bad input, for the reliability tests.

Run with the project venv:  /work/venv/bin/python scripts/make-hostile-fixtures.py
Deterministic: the same Pillow version writes the same bytes. Big cases (a 10 MB caption, JSON nested
100,000 levels deep, symlinks out of the input folder, embeddings sized to the sample count) are made by
the tests at run time, so the committed fixtures stay a few tens of KB.

Layout (every name below is asserted by Tests/CurateCLITests/Reliability/HostileInputTests.swift):
  jsonl/{good,images,paths,lines}.jsonl   one sample or bad line per case; images/ beside them
  jsonl/objects.jsonl    object tags for good.jsonl, with malformed lines
  jsonl/huge-claim.npy   a .npy header that claims 2^31 rows (and has no data)
  outside/secret.jpg     an image that must never be read (targets of ../ paths and symlinks)
  tar/hostile-000.tar    a webdataset shard with ../, absolute, symlink and huge-declared members
  csv/manifest.csv       ragged rows, invalid UTF-8, an unterminated quote at the end
  folder/                an image folder with sidecar captions (the tests add a symlink out of it)
"""
import io
import json
import os
import shutil
import struct
import tarfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "Tests/Fixtures/photos"
OUT = ROOT / "Tests/Fixtures/hostile"


def thumbnail(name: str, side: int = 96, fmt: str = "JPEG") -> bytes:
    """A small re-encoded copy of one of the real photos."""
    image = Image.open(PHOTOS / name).convert("RGB")
    image.thumbnail((side, side))
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=85) if fmt == "JPEG" else image.save(buffer, fmt)
    return buffer.getvalue()


def png_bomb_header(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height RGB pixels, with a tiny IDAT: a decompression-bomb header."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def jsonl_case() -> None:
    folder = OUT / "jsonl"
    images = folder / "images"
    good = ["apple.jpg", "astronaut.jpg", "aero1.jpg", "aloeL.jpg"]
    for index, name in enumerate(good):
        write(images / f"good-{index}.jpg", thumbnail(name))
    real = thumbnail("apple.jpg")
    write(images / "corrupt.jpg", real[:200] + bytes((b * 7 + 13) & 0xFF for b in real[200:600]) + real[600:])
    write(images / "truncated.jpg", real[: len(real) // 2])
    write(images / "empty.jpg", b"")
    write(images / "mislabeled.jpg", thumbnail("astronaut.jpg", 80, "PNG"))  # PNG bytes under a .jpg name
    write(images / "not-an-image.jpg", b"<html><body>404 Not Found</body></html>\n")
    write(images / "bomb.png", png_bomb_header(100_000, 100_000))
    write(OUT / "outside/secret.jpg", thumbnail("astronaut.jpg", 72))

    def line(record) -> bytes:
        return json.dumps(record, ensure_ascii=False).encode("utf-8")

    # Several small manifests, so each run has at most 10 problems: the CLI prints the first 10 on stderr
    # (with file and line) and only counts the rest.
    manifests = {
        "good": [
            line({"key": "good-0", "image": "images/good-0.jpg", "caption": "a red apple on a table"}),
            line({"key": "good-1", "image": "images/good-1.jpg", "caption": "an astronaut with a flag"}),
            line({"key": "good-2", "image": "images/good-2.jpg", "caption": "aerial view of a field"}),
            line({"key": "good-3", "image": "images/good-3.jpg", "caption": "an aloe plant"}),
            line({"key": "controls", "image": "images/good-0.jpg",
                  "caption": "bell\u0007 escape\u001b[31mred\u001b[0m nul-ish\u0001 rtl \u202eevil\u202c end"}),
            b'{"key": "nested-ok", "image": "images/good-2.jpg", "caption": "nested", "meta": {"a": [1, [2, [3]]]}}',
        ],
        "images": [
            line({"key": "good-0", "image": "images/good-0.jpg", "caption": "a red apple on a table"}),
            line({"key": "corrupt", "image": "images/corrupt.jpg", "caption": "corrupt jpeg"}),
            line({"key": "truncated", "image": "images/truncated.jpg", "caption": "truncated jpeg"}),
            line({"key": "empty", "image": "images/empty.jpg", "caption": "zero byte file"}),
            line({"key": "mislabeled", "image": "images/mislabeled.jpg", "caption": "a png named jpg"}),
            line({"key": "not-an-image", "image": "images/not-an-image.jpg", "caption": "html saved as jpg"}),
            line({"key": "bomb", "image": "images/bomb.png", "caption": "decompression bomb header"}),
            line({"key": "missing", "image": "images/no-such-file.jpg", "caption": "file is not there"}),
            line({"key": "remote", "image": "https://example.com/cat.jpg", "caption": "remote url"}),
        ],
        "paths": [
            line({"key": "good-1", "image": "images/good-1.jpg", "caption": "an astronaut with a flag"}),
            line({"key": "dotdot", "image": "../outside/secret.jpg", "caption": "escapes with dot dot"}),
            line({"key": "absolute", "image": "/etc/hostname", "caption": "absolute path outside"}),
            line({"key": "symlink", "image": "images/link.jpg", "caption": "symlink out of the folder"}),
            line({"key": "rtl-key\u202e\u001b[2J", "image": "images/no-such-file-2.jpg", "caption": "key with controls"}),
        ],
        "lines": [
            line({"key": "good-2", "image": "images/good-2.jpg", "caption": "aerial view of a field"}),
            b'{"key": "bad-utf8", "image": "images/good-1.jpg", "caption": "caf\xc3 \xff\xfe latin1 \xe9t\xe9"}',
            line({"key": "dup", "image": "images/good-2.jpg", "caption": "first of a duplicated key"}),
            line({"key": "dup", "image": "images/good-3.jpg", "caption": "second of a duplicated key"}),
            b'{"key": "member-a", "key": "member-b", "image": "images/good-0.jpg", "caption": "duplicate members"}',
            line({"image": "images/good-1.jpg", "caption": "no key field at all"}),
            line({"key": "no-image", "caption": "no image field"}),
            b'{"key": "cut-off", "image": "images/good-0.jpg", "capt',
            b"this line is not json",
            b"[1, 2, 3]",
            b'{"key": "trailing", "image": "images/good-0.jpg", "caption": "x"} garbage',
        ],
    }
    for name, lines in manifests.items():
        write(folder / f"{name}.jsonl", b"\n".join(lines) + b"\n")

    objects = [
        line({"key": "good-0", "objects": [{"label": "apple", "score": 0.9}]}),
        line({"key": "good-1", "objects": ["flag", "person"]}),
        b'{"key": "good-2", "objects": [{"label": 5}]}',
        b'{"key": "good-3", "objects": "not a list"}',
        b"{broken json",
        line({"objects": ["no key"]}),
        line({"key": "no-such-sample", "objects": ["dog"]}),
        b'{"key": "bad-utf8-objects", "objects": ["\xff\xfe"]}',
    ]
    write(folder / "objects.jsonl", b"\n".join(objects) + b"\n")

    # A .npy header claiming 2^31 rows of 8 float32 values, followed by no data at all.
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648, 8), }"
    header = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    write(folder / "huge-claim.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())


def tar_case() -> None:
    def member(tar, name, data, **attributes):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 1_700_000_000
        for key, value in attributes.items():
            setattr(info, key, value)
        tar.addfile(info, io.BytesIO(data) if data else None)

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        member(tar, "t-good-0.jpg", thumbnail("apple.jpg", 64))
        member(tar, "t-good-0.txt", b"a red apple")
        member(tar, "t-good-1.jpg", thumbnail("aero1.jpg", 64))
        member(tar, "t-good-1.txt", b"aerial view")
        member(tar, "t-good-1.json", b'{"width": 64, "source": "web"}')
        member(tar, "../t-escape.jpg", thumbnail("aloeL.jpg", 64))
        member(tar, "../t-escape.txt", b"escapes with dot dot")
        member(tar, "/etc/t-absolute.jpg", thumbnail("aloeL.jpg", 64))
        member(tar, "/etc/t-absolute.txt", b"absolute member")
        link = tarfile.TarInfo("t-link.jpg")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        link.mtime = 1_700_000_000
        tar.addfile(link)
        member(tar, "t-link.txt", b"symlink member")
        member(tar, "t-bad.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")
        member(tar, "t-bad.txt", b"\xffinvalid utf8 caption \xfe")
        member(tar, "t-good-2.jpg", thumbnail("astronaut.jpg", 64))
        member(tar, "t-good-2.txt", b"an astronaut")
    data = bytearray(buffer.getvalue().rstrip(b"\0"))
    data += b"\0" * (-len(data) % 512)
    # Tar bomb: a last member whose header declares 8 GiB of image bytes that the file does not hold.
    bomb = tarfile.TarInfo("t-bomb.jpg")
    bomb.size = 8 << 30
    bomb.mtime = 1_700_000_000
    data += bomb.tobuf(format=tarfile.GNU_FORMAT)
    data += b"\xff\xd8\xff" + b"\0" * 509
    write(OUT / "tar/hostile-000.tar", bytes(data))


def csv_case() -> None:
    rows = [
        b"key,image,caption",
        b"c-good-0,images/c-good-0.jpg,a red apple",
        b"c-ragged-short,images/c-good-0.jpg",
        b"c-ragged-long,images/c-good-0.jpg,caption,extra,cells",
        b"c-bad-utf8,images/c-good-0.jpg,caf\xc3 \xff",
        b'c-quoted,images/c-good-1.jpg,"a caption, with a comma and ""quotes"""',
        b"c-escape,../outside/secret.jpg,escapes the folder",
        b'c-unterminated,images/c-good-1.jpg,"this quote never ends',
        b"c-after,images/c-good-1.jpg,swallowed by the open quote",
    ]
    write(OUT / "csv/manifest.csv", b"\n".join(rows) + b"\n")
    write(OUT / "csv/images/c-good-0.jpg", thumbnail("apple.jpg", 64))
    write(OUT / "csv/images/c-good-1.jpg", thumbnail("aero1.jpg", 64))


def folder_case() -> None:
    folder = OUT / "folder"
    write(folder / "f-a.jpg", thumbnail("apple.jpg", 64))
    write(folder / "f-a.txt", b"a red apple")
    write(folder / "f-b.jpg", thumbnail("aero1.jpg", 64))
    write(folder / "f-b.txt", b"aerial \xff view")
    write(folder / "f-empty.jpg", b"")
    write(folder / "f-empty.txt", b"an empty image")
    # The tests add f-link.jpg -> ../outside/secret.jpg (git would keep the link, but not its target's place).
    write(folder / "f-link.txt", b"a symlink out of the folder")


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    jsonl_case()
    tar_case()
    csv_case()
    folder_case()
    total = sum(path.stat().st_size for path in OUT.rglob("*") if path.is_file())
    print(f"wrote {OUT.relative_to(ROOT)}: {total} bytes")


if __name__ == "__main__":
    main()
