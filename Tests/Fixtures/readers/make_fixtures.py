#!/usr/bin/env python3
"""Rebuilds the reader fixtures in this folder from Tests/Fixtures/photos (run from anywhere).

Images are real photographs downscaled to at most 64 px so the fixtures stay small. Needs Pillow and the
`lz4` command (Debian package `lz4`).
"""
import io
import json
import os
import shutil
import subprocess
import tarfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
PHOTOS = os.path.join(HERE, "..", "photos")


def small(name, fmt):
    image = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
    image.thumbnail((64, 64))
    out = io.BytesIO()
    image.save(out, fmt, quality=85) if fmt in ("JPEG", "WEBP") else image.save(out, fmt)
    return out.getvalue()


CAT = small("chelsea.jpg", "JPEG")
ASTRONAUT = small("astronaut.jpg", "JPEG")
COFFEE = small("coffee.jpg", "PNG")
ROCKET = small("rocket.jpg", "WEBP")


def write(path, data):
    path = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def symlink(target, path):
    path = os.path.join(HERE, path)
    if os.path.lexists(path):
        os.remove(path)
    os.symlink(target, path)


for folder in ["manifests", "outside", "folder_txt", "folder_jsonl", "folder_csv", "shards"]:
    shutil.rmtree(os.path.join(HERE, folder), ignore_errors=True)

# A file outside the manifests folder, reachable only by escaping it.
write("outside/secret.jpg", ASTRONAUT)

# Manifests and the images they name.
write("manifests/images/cat.jpg", CAT)
write("manifests/images/astronaut.jpg", ASTRONAUT)
write("manifests/images/coffee.png", COFFEE)
write("manifests/images/rocket.webp", ROCKET)
symlink("../../outside/secret.jpg", "manifests/images/escape_link.jpg")

basic = [
    '{"key": "cat", "image": "images/cat.jpg", "caption": "a cat on a sofa", "score": 1.50, '
    '"meta": {"tags": ["cat", "sofa"], "size": [64, 42], "exif": null, "ok": true}, '
    '"note": "caf\\u00e9 \\ud83d\\ude00 \\"q\\"", "big": -0.5e+10}',
    '{"url": "images/astronaut.jpg", "TEXT": "an astronaut \\"in space\\"", "id": 7}',
    "",
    '{"file_name": "images/coffee.png", "text": "coffee \\ud83d\\ude00 cup\\nwith milk"}',
    '   ',
    '{"path": "images/rocket.webp", "prompt": "a rocket", "key": 12345678901234567890}',
]
write("manifests/basic.jsonl", "\n".join(basic) + "\n")
subprocess.run(["lz4", "-q", "-f", os.path.join(HERE, "manifests/basic.jsonl"), os.path.join(HERE, "manifests/basic.jsonl.lz4")], check=True)

bad = [
    '{"key": "good", "image": "images/cat.jpg", "caption": "fine"}',
    'this is not json',
    '[1, 2, 3]',
    '{"key": "trailing", "image": "images/cat.jpg"} extra',
    '{"key": "comma", "image": "images/cat.jpg",}',
    '{"key": "good", "image": "images/astronaut.jpg", "caption": "same key again"}',
    '{"key": "escape", "image": "../outside/secret.jpg", "caption": "climbs out"}',
    '{"key": "symlink", "image": "images/escape_link.jpg", "caption": "links out"}',
    '{"key": "remote", "url": "https://example.com/a.jpg", "caption": "on the web"}',
    '{"key": "missing", "image": "images/nothere.jpg", "caption": "gone"}',
    '{"key": "noimage", "caption": "no image field"}',
    '{"key": "deep", "image": "images/cat.jpg", "nested": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"key": "nested", "image": "images/cat.jpg", "nested": ' + "[" * 100 + "1.50" + "]" * 100 + "}",
    '{"key": "both", "url": "https://example.com/b.jpg", "file_name": "images/rocket.webp", "caption": "local wins"}',
    '{"key": "ctrl", "image": "images/cat.jpg", "caption": "tab\there"}',
    '{"key": "num", "image": "images/cat.jpg", "n": 01}',
]
data = ("\n".join(bad) + "\n").encode("utf-8")
# Line 17: invalid UTF-8 inside the caption string.
data += b'{"key": "latin1", "image": "images/cat.jpg", "caption": "caf\xe9 au lait"}\n'
write("manifests/bad.jsonl", data)

write(
    "manifests/overrides.jsonl",
    '{"uid": "u1", "key": "ignored", "picture": "images/cat.jpg", "image": "images/astronaut.jpg", "alt": "override caption", "caption": "alias caption"}\n',
)

write(
    "manifests/basic.csv",
    'key,url,caption,score\r\n'
    'c1,images/cat.jpg,"a cat, on a sofa",1.50\r\n'
    'c2,images/astronaut.jpg,"she said ""hi""\r\nand left",2\r\n'
    '\r\n'
    'c3,images/coffee.png,plain,3\r\n',
)
subprocess.run(["lz4", "-q", "-f", os.path.join(HERE, "manifests/basic.csv"), os.path.join(HERE, "manifests/basic.csv.lz4")], check=True)
write("manifests/basic.tsv", "key\timage\ttext\nt1\timages/cat.jpg\ta cat\tsitting\nt2\timages/rocket.webp\t\"multi\nline\"\n")
write("manifests/bom.csv", b"\xef\xbb\xbfkey,image,caption\nb1,images/cat.jpg,with bom\n")
write(
    "manifests/ragged.csv",
    "image,caption\n"
    "images/cat.jpg,ok\n"
    "images/cat.jpg,too,many\n"
    "images/astronaut.jpg\n"
    'images/coffee.png,"bad"x\n'
    "images/rocket.webp,last\n",
)
write("manifests/unterminated.csv", 'image,caption\nimages/cat.jpg,"never closed\n')
write("manifests/latin1.csv", b"image,caption\nimages/cat.jpg,caf\xe9\n")
# Rows as exporters trim them and pandas reads them: missing trailing cells are empty, extra ones kept.
write(
    "manifests/short.tsv",
    "key\timage\tcaption\tsource\n"
    "s0\timages/cat.jpg\tcap zero\tweb\n"
    "s1\timages/astronaut.jpg\tcap one\n"
    "s2\timages/coffee.png\n"
    "s3\timages/rocket.webp\tcap three\tweb\tEXTRA\tMORE\n"
    "s4\timages/cat.jpg\tcap four\tweb\t\n",
)
write("manifests/semicolon.csv", 'key;image;caption\r\nm0;images/cat.jpg;"a cat; on a sofa"\r\nm1;images/astronaut.jpg;plain, with a comma\r\n')
write("manifests/capitals.csv", "Key,IMAGE,Caption\nk0,images/cat.jpg,capital header\n")
# A quote never closed in the middle of the file: the rows after it are still rows.
write(
    "manifests/open-quote.csv",
    "key,image,caption\n"
    'q0,images/cat.jpg,"never closed\n'
    "q1,images/astronaut.jpg,fine\n"
    "q2,images/coffee.png,last\n",
)

# A LoRA-style folder: images with sidecar captions.
write("folder_txt/a.jpg", CAT)
write("folder_txt/a.txt", "a cat\n")
write("folder_txt/b.jpg", ASTRONAUT)
write("folder_txt/orphan.txt", "caption without an image\n")
write("folder_txt/sub/c.png", COFFEE)
write("folder_txt/sub/c.txt", "\ufeffcoffee in a cup\r\n")
write("folder_txt/sub.webp", ROCKET)
write("folder_txt/d.jpg", CAT)
write("folder_txt/d.txt", b"caf\xe9\n")
write("folder_txt/.hidden/e.jpg", CAT)
write("folder_txt/notes.md", "not a caption")

# Hugging Face ImageFolder with metadata.jsonl / metadata.csv.
for folder in ["folder_jsonl", "folder_csv"]:
    write(f"{folder}/train/cat.jpg", CAT)
    write(f"{folder}/train/astronaut.jpg", ASTRONAUT)
write(
    "folder_jsonl/metadata.jsonl",
    '{"file_name": "train/cat.jpg", "text": "a cat", "split": "train"}\n'
    '{"file_name": "train/astronaut.jpg", "text": "an astronaut", "split": "train"}\n'
    '{"file_name": "train/missing.jpg", "text": "not there"}\n',
)
write(
    "folder_csv/metadata.csv",
    "file_name,text\ntrain/cat.jpg,a cat\ntrain/astronaut.jpg,an astronaut\n",
)


def tar(path, members):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with tarfile.open(full, "w", format=tarfile.USTAR_FORMAT) as archive:
        for name, payload in members:
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            if isinstance(payload, tuple):  # (tarfile.SYMTYPE or LNKTYPE, link target)
                info.type, info.linkname = payload
                archive.addfile(info)
                continue
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))


tar("shards/00000.tar", [
    ("s000.jpg", CAT), ("s000.txt", b"a cat\n"),
    ("s000.json", b'{"key": "s000", "url": "http://x/cat.jpg", "width": 64, "similarity": 0.3050, "extra": {"a": [1, 2]}}'),
    ("s001.png", COFFEE), ("s001.txt", b"a cup of coffee"),
    ("s002.webp", ROCKET), ("s002.json", b'{"caption": "caption from json", "n": 1.50}'),
])
tar("shards/00001.tar", [
    ("sub/s100.jpeg", ASTRONAUT), ("sub/s100.txt", "astronaut \u00e9".encode()),
    ("s101.txt", b"no image here"),
    ("s102.jpg", CAT), ("s102.txt", b"bad \xff bytes"), ("s102.json", b"{not json"),
])
tar("shards/evil.tar", [
    ("../evil.jpg", CAT), ("../evil.txt", b"escape"),
    ("/abs.jpg", CAT),
    ("ok.jpg", ASTRONAUT), ("ok.txt", b"fine"),
    ("link.jpg", (tarfile.SYMTYPE, "/etc/passwd")),
    ("hard.jpg", (tarfile.LNKTYPE, "ok.jpg")),
])
tar("shards/full.tar", [
    ("t000.jpg", CAT), ("t000.txt", b"first"),
    ("t001.jpg", ASTRONAUT), ("t001.txt", b"second"),
])
with open(os.path.join(HERE, "shards/full.tar"), "rb") as f:
    whole = f.read()
# Cut inside the second image's data: the first sample is complete, the second is not.
write("shards/truncated.tar", whole[: 512 * 5 + len(CAT) + 512 + 600])
os.remove(os.path.join(HERE, "shards/full.tar"))
print("fixtures written")
