#!/usr/bin/env python3
"""Writes the image-decoding fixtures in Tests/Fixtures/images/ from the real photos in Tests/Fixtures/photos/.

Every fixture is real encoded bytes (Pillow, libturbojpeg through ctypes, or a small PNG writer below for the
variants Pillow cannot write: 16-bit RGB, Adam7 interlacing), downscaled to at most 96 px so the set stays tiny.
`reference.json` records what Pillow decodes from each good fixture (size after EXIF orientation, channels, per-
channel means, and an FNV-1a 64 checksum of the pixel bytes) so the Swift tests can check our decoder against an
independent one. Alpha is composited over white as (c*a + 255*(255-a) + 127) // 255, the rule our decoder uses.
`reference-scaled.json` does the same for JPEGs decoded in Pillow's draft mode (libjpeg DCT scaling by 1/k) with the
`minimumSide` that makes our decoder choose the same factor.

Run from the repository root:  /work/venv/bin/python scripts/make-image-fixtures.py
Output is deterministic (fixed seeds, no timestamps).
"""

import ctypes
import ctypes.util
import io
import json
import random
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "Tests" / "Fixtures" / "photos"
OUT = ROOT / "Tests" / "Fixtures" / "images"


def photo(name, size):
    """A real photo resized to exactly `size` (width, height), RGB."""
    with Image.open(PHOTOS / name) as im:
        return im.convert("RGB").resize(size, Image.LANCZOS)


def alpha_ramp(width, height):
    """An alpha plane with fully opaque, fully transparent and partial regions."""
    x = np.linspace(0, 255, width)[None, :]
    y = np.linspace(0, 1, height)[:, None]
    a = np.clip(x * (0.3 + 0.7 * y), 0, 255).astype(np.uint8)
    a[: height // 4, : width // 4] = 255
    a[-height // 4 :, -width // 4 :] = 0
    return a


def jpeg_bytes(im, **options):
    buf = io.BytesIO()
    im.save(buf, "JPEG", **options)
    return buf.getvalue()


def png_bytes(im, **options):
    buf = io.BytesIO()
    im.save(buf, "PNG", **options)
    return buf.getvalue()


def webp_bytes(im, **options):
    buf = io.BytesIO()
    im.save(buf, "WEBP", **options)
    return buf.getvalue()


# --- a minimal PNG writer, for bit depths and interlacing Pillow does not write -------------------------------

def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def write_png(samples, bit_depth, color_type, interlaced=False):
    """`samples`: uint8 or uint16 array [height, width, channels]; filter type 0 on every row."""
    height, width = samples.shape[:2]
    dtype = ">u2" if bit_depth == 16 else "u1"

    def rows(block):
        return b"".join(b"\x00" + block[y].astype(dtype).tobytes() for y in range(block.shape[0]))

    if interlaced:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b"".join(
            rows(samples[y0::dy, x0::dx]) for x0, y0, dx, dy in passes if samples[y0::dy, x0::dx].size
        )
    else:
        raw = rows(samples)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlaced else 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(raw, 9))
        + png_chunk(b"IEND", b"")
    )


# --- EXIF orientation ---------------------------------------------------------------------------------------

def exif_payload(orientation, big_endian):
    """An APP1 Exif payload with IFD0 = {Make (ASCII, stored out of line), Orientation}, in either byte order."""
    e = ">" if big_endian else "<"
    make = b"curate fixtures\x00"
    ifd0_offset = 8
    entry_count = 2
    make_offset = ifd0_offset + 2 + entry_count * 12 + 4
    tiff = (b"MM" if big_endian else b"II") + struct.pack(e + "HI", 42, ifd0_offset)
    tiff += struct.pack(e + "H", entry_count)
    tiff += struct.pack(e + "HHII", 0x010F, 2, len(make), make_offset)
    # A SHORT value sits left-justified in the 4-byte value field, in the file's byte order.
    tiff += struct.pack(e + "HHI", 0x0112, 3, 1) + struct.pack(e + "HH", orientation, 0)
    tiff += struct.pack(e + "I", 0)
    tiff += make
    return b"Exif\x00\x00" + tiff


# What `ImageOps.exif_transpose` does for each orientation, and its inverse (to make the stored image).
TRANSPOSE = {
    1: None,
    2: Image.FLIP_LEFT_RIGHT,
    3: Image.ROTATE_180,
    4: Image.FLIP_TOP_BOTTOM,
    5: Image.TRANSPOSE,
    6: Image.ROTATE_270,
    7: Image.TRANSVERSE,
    8: Image.ROTATE_90,
}
INVERSE = {**TRANSPOSE, 6: Image.ROTATE_90, 8: Image.ROTATE_270}


# --- YCCK through TurboJPEG (Pillow writes CMYK JPEGs, never YCCK) -----------------------------------------

def ycck_jpeg(im_cmyk):
    """Compresses Adobe-convention (inverted) CMYK pixels with tjCompress2, which stores them as YCCK."""
    lib = ctypes.CDLL(ctypes.util.find_library("turbojpeg") or "libturbojpeg.so.0")
    lib.tjInitCompress.restype = ctypes.c_void_p
    lib.tjCompress2.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
        ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_ulong), ctypes.c_int, ctypes.c_int, ctypes.c_int,
    ]
    lib.tjFree.argtypes = [ctypes.c_void_p]
    lib.tjDestroy.argtypes = [ctypes.c_void_p]
    handle = lib.tjInitCompress()
    width, height = im_cmyk.size
    inverted = (255 - np.asarray(im_cmyk, dtype=np.uint8)).tobytes()
    out = ctypes.c_void_p()
    size = ctypes.c_ulong(0)
    TJPF_CMYK, TJSAMP_444 = 11, 0
    status = lib.tjCompress2(handle, inverted, width, 0, height, TJPF_CMYK, ctypes.byref(out), ctypes.byref(size),
                             TJSAMP_444, 92, 0)
    assert status == 0, "tjCompress2 failed"
    data = ctypes.string_at(out, size.value)
    lib.tjFree(out)
    lib.tjDestroy(handle)
    return data


# --- what Pillow decodes ------------------------------------------------------------------------------------

def composite_over_white(rgb, alpha):
    a = alpha.astype(np.uint32)[..., None]
    return ((rgb.astype(np.uint32) * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def pillow_pixels(data):
    """Pixels as our decoder defines them: EXIF orientation applied; gray stays 1 channel; alpha over white."""
    return pillow_pixels_of(Image.open(io.BytesIO(data)))


def pillow_pixels_of(im):
    im = ImageOps.exif_transpose(im)
    mode = im.mode
    if mode in ("L", "RGB") and "transparency" in im.info:
        # A tRNS colour key: Pillow applies it when converting to RGBA.
        rgba = np.asarray(im.convert("RGBA"))
        flat = composite_over_white(rgba[..., :3], rgba[..., 3])
        return flat[..., :1] if mode == "L" else flat
    if mode in ("1", "L"):
        return np.asarray(im.convert("L"))[..., None]
    if mode.startswith("I;16") or mode == "I":
        return (np.asarray(im, dtype=np.uint32) >> 8).astype(np.uint8)[..., None]
    if mode == "LA":
        la = np.asarray(im)
        return composite_over_white(la[..., :1], la[..., 1])
    if mode == "P" and "transparency" in im.info or mode in ("RGBA", "PA"):
        rgba = np.asarray(im.convert("RGBA"))
        return composite_over_white(rgba[..., :3], rgba[..., 3])
    return np.asarray(im.convert("RGB"))


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def reference(data):
    px = pillow_pixels(data)
    return {
        "width": int(px.shape[1]),
        "height": int(px.shape[0]),
        "channels": int(px.shape[2]),
        "mean": [round(float(px[..., c].mean()), 4) for c in range(px.shape[2])],
        "fnv1a64": format(fnv1a64(px.tobytes()), "016x"),
        # Lossless files must decode to exactly Pillow's pixels; lossy ones only close (decoder versions differ).
        "lossless": data.startswith(b"\x89PNG") or (data[:4] == b"RIFF" and b"VP8L" in data[:128]),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    files = {}

    # JPEG
    chelsea = photo("chelsea.jpg", (96, 64))
    files["jpeg-rgb.jpg"] = jpeg_bytes(chelsea, quality=90)
    files["jpeg-gray.jpg"] = jpeg_bytes(photo("camera.jpg", (64, 64)).convert("L"), quality=90)
    files["jpeg-progressive.jpg"] = jpeg_bytes(photo("astronaut.jpg", (80, 80)), quality=90, progressive=True)
    fruits_cmyk = photo("fruits.jpg", (96, 90)).convert("CMYK")
    files["jpeg-cmyk.jpg"] = jpeg_bytes(fruits_cmyk, quality=92)
    files["jpeg-ycck.jpg"] = ycck_jpeg(fruits_cmyk)

    # EXIF orientations: the stored image is the upright one run through the inverse transform, so every
    # fixture displays as `upright`. Odd orientations are big-endian ("MM"), even ones little-endian ("II").
    upright = photo("coffee.jpg", (96, 64))
    files["orientation-upright.jpg"] = jpeg_bytes(upright, quality=95, subsampling=0)
    for n in range(1, 9):
        stored = upright if INVERSE[n] is None else upright.transpose(INVERSE[n])
        data = jpeg_bytes(stored, quality=95, subsampling=0, exif=exif_payload(n, big_endian=n % 2 == 1))
        # Check Pillow reads our orientation back (an independent EXIF parser).
        with Image.open(io.BytesIO(data)) as check:
            assert check.getexif().get(0x0112) == n, n
            assert ImageOps.exif_transpose(check).size == (96, 64), n
        files[f"orientation-{n}.jpg"] = data

    # Lossless formats carry orientation too (PNG eXIf, WebP EXIF chunk); Pillow writes both.
    files["png-orientation-6.png"] = png_bytes(upright.transpose(INVERSE[6]), exif=exif_payload(6, True))
    files["webp-orientation-8.webp"] = webp_bytes(
        upright.transpose(INVERSE[8]), lossless=True, exif=exif_payload(8, False)
    )

    # PNG
    rgb = photo("baboon.jpg", (64, 64))
    rgb_a = np.asarray(rgb)
    files["png-rgb8.png"] = png_bytes(rgb)
    files["png-gray8.png"] = png_bytes(photo("camera.jpg", (64, 64)).convert("L"))
    files["png-gray1.png"] = png_bytes(photo("coins.jpg", (64, 50)).convert("1"))
    yy, xx = np.mgrid[0:64, 0:64]
    low = ((xx * 7 + yy * 3) % 256).astype(np.uint16)[..., None]
    files["png-rgb16.png"] = write_png(rgb_a.astype(np.uint16) * 256 + low, 16, 2)
    gray16 = np.asarray(photo("camera.jpg", (64, 64)).convert("L")).astype(np.uint16)[..., None] * 256 + low
    files["png-gray16.png"] = write_png(gray16, 16, 0)
    gray = photo("coins.jpg", (64, 50)).convert("L")
    la = Image.merge("LA", [gray, Image.fromarray(alpha_ramp(64, 50))])
    files["png-gray-alpha.png"] = png_bytes(la)
    fruits = photo("fruits.jpg", (64, 60))
    palette = fruits.quantize(colors=32, method=Image.MEDIANCUT, dither=Image.NONE)
    files["png-palette.png"] = png_bytes(palette)
    files["png-palette-trns.png"] = png_bytes(palette, transparency=3)
    # tRNS colour keys on gray and truecolour images: the most common value becomes transparent.
    gray8 = photo("camera.jpg", (64, 64)).convert("L").quantize(16).convert("L")
    key = int(np.bincount(np.asarray(gray8).ravel()).argmax())
    files["png-gray-trns.png"] = png_bytes(gray8, transparency=key)
    posterized = fruits.quantize(16, method=Image.MEDIANCUT, dither=Image.NONE).convert("RGB")
    colours, counts = np.unique(np.asarray(posterized).reshape(-1, 3), axis=0, return_counts=True)
    files["png-rgb-trns.png"] = png_bytes(posterized, transparency=tuple(int(v) for v in colours[counts.argmax()]))
    rgba = fruits.convert("RGBA")
    rgba.putalpha(Image.fromarray(alpha_ramp(64, 60)))
    files["png-rgba.png"] = png_bytes(rgba)
    files["png-interlaced.png"] = write_png(np.asarray(photo("smarties.jpg", (61, 53))), 8, 2, interlaced=True)

    # WebP
    files["webp-lossy.webp"] = webp_bytes(photo("orange.jpg", (80, 80)), quality=80, method=4)
    butterfly = photo("butterfly.jpg", (90, 64)).convert("RGBA")
    butterfly.putalpha(Image.fromarray(alpha_ramp(90, 64)))
    files["webp-lossless-alpha.webp"] = webp_bytes(butterfly, lossless=True, method=4)
    files["webp-lossy-alpha.webp"] = webp_bytes(butterfly, quality=80, method=4)
    frames = [photo("orange.jpg", (32, 32)), photo("apple.jpg", (32, 32))]
    buf = io.BytesIO()
    frames[0].save(buf, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0, lossless=True)
    files["webp-animated.webp"] = buf.getvalue()

    # Bad and hostile inputs.
    files["bad-empty.jpg"] = b""
    files["bad-garbage.jpg"] = random.Random(20260401).randbytes(700)
    jpeg = files["jpeg-rgb.jpg"]
    files["bad-truncated.jpg"] = jpeg[: len(jpeg) * 6 // 10]
    files["bad-truncated-header.jpg"] = jpeg[:120]
    png = files["png-rgb8.png"]
    files["bad-truncated.png"] = png[: len(png) * 6 // 10]
    webp = files["webp-lossy.webp"]
    files["bad-truncated.webp"] = webp[: len(webp) * 6 // 10]
    # Valid PNG structure, but the IDAT's zlib stream is damaged (CRC recomputed, so only inflate can notice).
    idat_at = png.index(b"IDAT")
    length = struct.unpack(">I", png[idat_at - 4 : idat_at])[0]
    body = bytearray(png[idat_at + 4 : idat_at + 4 + length])
    for i in range(2, len(body), 3):
        body[i] ^= 0x5A
    files["bad-corrupt.png"] = (
        png[: idat_at - 4] + png_chunk(b"IDAT", bytes(body)) + png[idat_at + 8 + length :]
    )
    files["bad-corrupt.jpg"] = b"\xff\xd8\xff" + random.Random(7).randbytes(400)
    # Mislabeled: the name says one format, the bytes another.
    files["mislabeled-png.jpg"] = files["png-rgb8.png"]
    files["mislabeled-jpeg.webp"] = files["jpeg-rgb.jpg"]
    # Decompression bombs: tiny files whose headers claim huge images.
    bomb_ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    files["bomb.png"] = (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", bomb_ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + png_chunk(b"IEND", b"")
    )
    sof = jpeg.index(b"\xff\xc0")
    files["bomb.jpg"] = jpeg[: sof + 5] + struct.pack(">HH", 60_000, 60_000) + jpeg[sof + 9 :]
    lossless = files["webp-lossless-alpha.webp"]
    vp8l = lossless.index(b"VP8L")
    bits = struct.unpack("<I", lossless[vp8l + 9 : vp8l + 13])[0]
    bits = (bits & ~((1 << 28) - 1)) | (16383 << 14) | 16383  # 16384 x 16384, alpha/version bits kept
    files["bomb.webp"] = lossless[: vp8l + 9] + struct.pack("<I", bits) + lossless[vp8l + 13 :]

    refs = {}
    for name, data in sorted(files.items()):
        (OUT / name).write_bytes(data)
        good = not name.startswith(("bad-", "bomb"))
        if good:
            refs[name] = reference(data)
    (OUT / "reference.json").write_text(json.dumps(refs, indent=1, sort_keys=True) + "\n")

    # DCT-domain scaling: Pillow's draft mode asks libjpeg for the same scaled IDCT as TurboJPEG's 1/k factors.
    # minimumSide = shorter side / k selects exactly 1/k in our decoder (every smaller factor falls short).
    scaled = {}
    for name, k in [("jpeg-rgb.jpg", 2), ("jpeg-progressive.jpg", 4), ("jpeg-gray.jpg", 8), ("jpeg-cmyk.jpg", 2),
                    ("orientation-6.jpg", 4)]:
        im = Image.open(io.BytesIO(files[name]))
        w, h = im.size
        assert w % k == 0 and h % k == 0, name
        im.draft(im.mode, (w // k, h // k))
        im.load()
        assert im.size == (w // k, h // k), (name, im.size)
        px = pillow_pixels_of(im)
        scaled[name] = {
            "minimumSide": min(w, h) // k,
            "width": int(px.shape[1]),
            "height": int(px.shape[0]),
            "channels": int(px.shape[2]),
            "mean": [round(float(px[..., c].mean()), 4) for c in range(px.shape[2])],
            "fnv1a64": format(fnv1a64(px.tobytes()), "016x"),
        }
    (OUT / "reference-scaled.json").write_text(json.dumps(scaled, indent=1, sort_keys=True) + "\n")
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(files)} fixtures, {total} bytes, to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
