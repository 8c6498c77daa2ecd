"""Builds the acceptance-audit fixtures (run from the repo root with the project venv: Pillow).

dotted.tar: a webdataset shard whose members a reader might skip without a word: `ok.jpg` + `ok.txt` (a real
photograph, 48 px), `a.b.c.jpg` + `a.b.c.txt` (a dotted name: the webdataset key is `a`, its members are
`b.c.jpg` and `b.c.txt`, so it has no image member), and `s9.cls` (a key with no image at all).

pair.tar: a webdataset shard of two samples with the same photograph (`p1`, `p2`: an exact-duplicate cluster, so
the report's gallery shows it).

twice.tar: one sample whose caption member appears twice (`d1.txt`: "first caption", then "second caption").

tiny.gif, tiny.bmp: the same photograph at 16 px in formats curate does not decode (a folder must still count them).
"""
import io
import tarfile
from PIL import Image

photo = Image.open("Tests/Fixtures/photos/astronaut.jpg").convert("RGB")
photo.thumbnail((48, 48))
jpeg = io.BytesIO()
photo.save(jpeg, "JPEG", quality=80)


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


with tarfile.open("Tests/Fixtures/acceptance/dotted.tar", "w", format=tarfile.USTAR_FORMAT) as tar:
    add(tar, "ok.jpg", jpeg.getvalue())
    add(tar, "ok.txt", b"an astronaut")
    add(tar, "a.b.c.jpg", jpeg.getvalue())
    add(tar, "a.b.c.txt", b"a dotted name")
    add(tar, "s9.cls", b"3")

with open("Tests/Fixtures/acceptance/pair.tar", "wb") as raw:
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for key in ("p1", "p2"):
            add(tar, key + ".jpg", jpeg.getvalue())
            add(tar, key + ".txt", b"an astronaut copy")

small = photo.copy()
small.thumbnail((16, 16))
small.save("Tests/Fixtures/acceptance/tiny.gif")
small.save("Tests/Fixtures/acceptance/tiny.bmp")

with open("Tests/Fixtures/acceptance/twice.tar", "wb") as raw:
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        add(tar, "d1.jpg", jpeg.getvalue())
        add(tar, "d1.txt", b"first caption")
        add(tar, "d1.txt", b"second caption")
