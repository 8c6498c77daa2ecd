#!/usr/bin/env python3
"""Builds the "unseen" near-duplicate set: 176 photos from Debian packages that no curate threshold or view was
chosen on, 13 transformed copies each (2464 images).

A tester built this set outside the project to check curate on data it had never seen; this is their builder
(sources, extraction and transforms in one script, same seed, so the same images). Sources: scratch backgrounds
(drawings left out), lomiri wallpapers (lomiri-wallpapers-16.04 / -20.04, installed), tuxpaint-data templates and
starters, palapeli-data puzzles, the largest JPEG inside each enlightenment-data background (.edj), the kstars-data
splash, photo-like tuxpaint-stamps-default stamps (cut-outs, flattened on white with a 10% margin) and the 40 most
colourful stellarium-data nebula photos (mosaic tiles of one field left out). The non-wallpaper packages are only
downloaded and unpacked into OUT/debs (apt-get download, dpkg-deb -x); a folder OUT/debs/x/PACKAGE already there
is used as it is.

Copies: thumb256 (long side 256), square512 (centre square resized to 512), jpeg40_420, webp60, caption_bar (a meme
text bar of 15-20% above or below), watermark (corner text at 40-60% opacity), border5 (5% border), gamma07,
gamma14, sharpen_resize80, hflip (a mirror), crop10_side (10% off one side), rotate3_crop (3 degrees, cropped to the
largest upright rectangle).

Not entirely unseen: curate's centre-square view (FeatureOptions.centreCropAspects, then squareView) was added after looking at this set's
square512 results (F1 0.630 before it), so that column is no longer out of sample. The other columns are.

    .venv-bench/bin/python scripts/make-unseen-eval.py --out /tmp/curate-bench/unseen [--seed 20261206]

writes OUT/images/* and OUT/manifest.jsonl with {"path", "group", "transform", "source"} per image.
"""
import argparse
import glob
import io
import math
import os
import random
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from neardup_images import on_white, write_manifest

PACKAGES = ["scratch", "tuxpaint-data", "palapeli-data", "enlightenment-data", "kstars-data",
            "tuxpaint-stamps-default", "stellarium-data"]  # downloaded and unpacked, not installed
WALLPAPER_PACKAGES = ["lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04"]  # installed: /usr/share/backgrounds
BG = "/usr/share/backgrounds"
BG_PHOTOS = ["Bridge_by_Sander_Klootwijk", "Dragonfly_by_Bolly", "Infinite-Sea_by_Aury88", "Kleiber_by_Lukas_Baubkus",
             "Picture_0B_by_freespace", "Picture_1A_by_freespace", "Wine_by_Jakkub_Mede",
             "aitzgorri_by_Aitzol_Berasategi", "analogpattern_by_Peter_Nerlich", "free_by_Peter_Nerlich",
             "friends_by_Aitzol_Berasategi", "greentock_by_Peter_Nerlich", "life_by_Aitzol_Berasategi",
             "picosdeeuropa_by_Aitzol_Berasategi", "seeding_by_Clements_Engelhardt", "sunset_by_Aitzol_Berasategi"]
SCRATCH_DRAWINGS = {"party-room", "room1", "room2", "room3", "spotlight-stage", "woods-and-bench", "school2",
                    "graffiti", "basketball-court1-b"}
ENLIGHTENMENT = ["Bamboo", "Foggy-Trees", "God-Rays", "Green-Maple", "Lichen-Branches", "Mountain", "Peaks",
                 "Red-Maple", "Sea-of-Lanterns", "Snow-Trees", "Spruce-Needles", "Sunset-Clouds", "White-Flower",
                 "Yellow-Flower"]
STAMP_SKIP = {"bradley_mirror", "final-roll-call", "liberia-palm", "spade", "candle", "cylinder"}
NEBULA_SKIP_PREFIX = ("lmc_", "rho-")  # mosaic tiles of one field: they overlap
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MEME = ["WHEN YOU SEE IT", "Monday mood", "nobody:  me at 3am:", "this is fine", "POV: you finally made it",
        "Tag someone who needs this", "Best view ever!!", "me trying to adult", "Weekend vibes only",
        "Can't stop looking at this"]
MARKS = ["© stockphoto", "shutterpix.com", "@travelgram", "© 2023 J. Smith", "dreamsnap", "PREVIEW"]
CAPTIONS = 8  # the tester's script drew one of 8 captions per image; the draws are kept so the copies stay the same
TRANSFORMS = ["thumb256", "square512", "jpeg40_420", "webp60", "caption_bar", "watermark", "border5",
              "gamma07", "gamma14", "sharpen_resize80", "hflip", "crop10_side", "rotate3_crop"]


def fetch(debs):
    """Unpacks the PACKAGES missing from DEBS/x and installs the wallpapers; exits with a message if it cannot."""
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    missing = [p for p in PACKAGES if not os.path.isdir(os.path.join(debs, "x", p))]
    walls = not all(os.path.exists(f"{BG}/{name}.jpg") for name in BG_PHOTOS)
    if not missing and not walls:
        return
    try:
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, stdout=sys.stderr)
        if missing:
            # dpkg-deb -x makes the package's folder but not DEBS/x itself.
            os.makedirs(os.path.join(debs, "x"), exist_ok=True)
            subprocess.run(["apt-get", "download", *missing], cwd=debs, check=True, stdout=sys.stderr)
            for p in missing:
                deb = sorted(glob.glob(os.path.join(debs, f"{p}_*.deb")))[-1]
                subprocess.run(["dpkg-deb", "-x", deb, os.path.join(debs, "x", p)], check=True)
        if walls:
            subprocess.run(sudo + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                                   "--no-install-recommends", *WALLPAPER_PACKAGES], check=True, stdout=sys.stderr)
    except (subprocess.CalledProcessError, OSError, IndexError) as error:
        sys.exit(f"make-unseen-eval.py: could not get the source packages ({error}); the unseen set is not built")


def largest_jpeg(path):
    """The largest JPEG embedded in an enlightenment .edj file (as RGB)."""
    b, best, i = open(path, "rb").read(), None, 0
    while (s := b.find(b"\xff\xd8\xff", i)) >= 0:
        try:
            im = Image.open(io.BytesIO(b[s:]))
            im.load()
            if best is None or im.size[0] * im.size[1] > best.size[0] * best.size[1]:
                best = im.copy()
        except Exception:
            pass
        i = s + 3
    return best.convert("RGB")


def stamps(x):
    """Photo-like stamps: >= 350 px, >= 25% opaque, >= 3000 colours (of 64 levels per channel), most colours first."""
    found = []
    for f in glob.glob(x + "/tuxpaint-stamps-default/usr/share/tuxpaint/stamps/*/**/*.png", recursive=True):
        try:
            im = Image.open(f)
            im.load()
        except Exception:
            continue
        if max(im.size) < 350:
            continue
        a = np.asarray(im.convert("RGBA"))
        opaque = a[..., 3] > 200
        if opaque.mean() < 0.25:
            continue
        q = (a[..., :3][opaque] // 4).astype(np.int32)
        colours = len(np.unique(q[:, 0] * 4096 + q[:, 1] * 64 + q[:, 2]))
        if colours >= 3000:
            found.append((colours, f))
    return [f for _, f in sorted(found, reverse=True) if os.path.basename(f)[:-4] not in STAMP_SKIP]


def nebulae(x, count=40):
    """The `count` most colourful nebula photos (short side >= 400, mean saturation >= 8), mosaic tiles left out."""
    found = []
    for f in glob.glob(x + "/stellarium-data/usr/share/stellarium/nebulae/default/*"):
        try:
            im = Image.open(f)
            im.load()
        except Exception:
            continue
        if min(im.size) < 400:
            continue
        a = np.asarray(im.convert("RGB")).astype(float)
        saturation = (a.max(2) - a.min(2)).mean()
        if saturation >= 8:
            found.append((saturation, f))
    return [f for _, f in sorted(found, reverse=True) if not os.path.basename(f).startswith(NEBULA_SKIP_PREFIX)][:count]


def sources(x):
    """(package, path) of every photo, in group order (an .edj path stands for its largest JPEG)."""
    out = []
    backgrounds = x + "/scratch/usr/share/scratch/Media/Backgrounds"
    out += [("scratch", f) for f in sorted(glob.glob(backgrounds + "/*/*.jpg"))
            if os.path.basename(f)[:-4] not in SCRATCH_DRAWINGS]
    out += [("lomiri-wallpapers", f"{BG}/{name}.jpg") for name in BG_PHOTOS]
    templates = x + "/tuxpaint-data/usr/share/tuxpaint"
    out += [("tuxpaint-data", f) for f in sorted(glob.glob(templates + "/templates/*.jpg"))]
    out += [("tuxpaint-data", f"{templates}/starters/{f}") for f in ["skyline-sf-dusk-back.jpeg", "reef-back.png"]]
    out += [("palapeli-data", f) for f in sorted(glob.glob(x + "/palapeli-data/usr/share/palapeli/collection/*.jpg"))]
    out += [("enlightenment-data", f"{x}/enlightenment-data/usr/share/enlightenment/data/backgrounds/{n}.edj")
            for n in ENLIGHTENMENT]
    out.append(("kstars-data", x + "/kstars-data/usr/share/kstars/kstarslite/qml/images/splash_bg@4x.jpeg"))
    out += [("tuxpaint-stamps-default", f) for f in stamps(x)]
    out += [("stellarium-data", f) for f in nebulae(x)]
    return out


def load(path, margin):
    """The original: alpha flattened on white, an optional 10% white margin, long side <= 1024."""
    if path.endswith(".edj"):
        im = largest_jpeg(path)
    else:
        im = Image.open(path)
        im.load()
    im = on_white(im)
    if margin:
        im = ImageOps.expand(im, border=int(0.1 * max(im.size)), fill=(255, 255, 255))
    im.thumbnail((1024, 1024), Image.LANCZOS)
    return im


def font(size):
    return ImageFont.truetype(FONT, max(8, int(size)))


def gamma(im, g):
    return im.point([min(255, int(round(255 * (i / 255.0) ** g))) for i in range(256)] * 3)


def rotate_crop(im, deg):
    """Rotated by `deg`, then the largest centred rectangle of the same aspect inside it."""
    w, h = im.size
    r = im.rotate(deg, resample=Image.BICUBIC, expand=False)
    a = math.radians(abs(deg))
    s = min(w / (w * math.cos(a) + h * math.sin(a)), h / (w * math.sin(a) + h * math.cos(a)))
    cw, ch = int(w * s) - 2, int(h * s) - 2
    left, top = (w - cw) // 2, (h - ch) // 2
    return r.crop((left, top, left + cw, top + ch))


def caption_bar(im, rng):
    w, h = im.size
    bh = int(round(h * rng.uniform(0.15, 0.20)))
    top, dark = rng.random() < 0.5, rng.random() < 0.5
    bg, fg = ((0, 0, 0), (255, 255, 255)) if dark else ((255, 255, 255), (0, 0, 0))
    c = Image.new("RGB", (w, h + bh), bg)
    c.paste(im, (0, bh if top else 0))
    d, text, f = ImageDraw.Draw(c), rng.choice(MEME), font(bh * 0.45)
    while d.textlength(text, font=f) > 0.92 * w and f.size > 8:
        f = font(f.size - 1)
    y0 = 0 if top else h
    d.text(((w - d.textlength(text, font=f)) / 2, y0 + (bh - f.size) / 2 - f.size * 0.1), text, font=f, fill=fg)
    return c


def watermark(im, rng):
    w, h = im.size
    c = im.convert("RGBA")
    overlay = Image.new("RGBA", c.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    text, f, alpha = rng.choice(MARKS), font(h * rng.uniform(0.035, 0.05)), int(255 * rng.uniform(0.4, 0.6))
    tw, m = d.textlength(text, font=f), int(0.02 * w)
    corner = rng.choice(["tl", "tr", "bl", "br"])
    x = m if corner[1] == "l" else w - m - tw
    y = m if corner[0] == "t" else h - m - f.size * 1.2
    d.text((x, y), text, font=f, fill=(255, 255, 255, alpha), stroke_width=1, stroke_fill=(0, 0, 0, alpha // 2))
    c.alpha_composite(overlay)
    return c.convert("RGB")


def border(im, rng):
    w, h = im.size
    colour = rng.choice([(255, 255, 255), (0, 0, 0), (128, 128, 128), tuple(rng.randrange(256) for _ in range(3))])
    bw, bh = int(round(0.05 * w)), int(round(0.05 * h))
    c = Image.new("RGB", (w + 2 * bw, h + 2 * bh), colour)
    c.paste(im, (bw, bh))
    return c


def crop_side(im, rng):
    w, h = im.size
    dx, dy = int(0.1 * w), int(0.1 * h)
    side = rng.choice(["left", "right", "top", "bottom"])
    return im.crop({"left": (dx, 0, w, h), "right": (0, 0, w - dx, h), "top": (0, dy, w, h),
                    "bottom": (0, 0, w, h - dy)}[side])


def apply(t, im, rng):
    """(copy, file extension, save options) of transform `t`; the random draws follow TRANSFORMS order."""
    w, h = im.size
    jpg = ("jpg", {"quality": 90})
    if t == "thumb256":
        c = im.copy()
        c.thumbnail((256, 256), Image.LANCZOS)
        return c, *jpg
    if t == "square512":
        s = min(w, h)
        left, top = (w - s) // 2, (h - s) // 2
        return im.crop((left, top, left + s, top + s)).resize((512, 512), Image.LANCZOS), *jpg
    if t == "jpeg40_420":
        return im, "jpg", {"quality": 40, "subsampling": 2}
    if t == "webp60":
        return im, "webp", {"quality": 60}
    if t == "sharpen_resize80":
        c = im.filter(ImageFilter.UnsharpMask(radius=1.5, percent=rng.randint(60, 120), threshold=2))
        return c.resize((int(w * 0.8), int(h * 0.8)), Image.LANCZOS), *jpg
    other = {"caption_bar": lambda: caption_bar(im, rng), "watermark": lambda: watermark(im, rng),
             "border5": lambda: border(im, rng), "gamma07": lambda: gamma(im, 0.7), "gamma14": lambda: gamma(im, 1.4),
             "hflip": lambda: ImageOps.mirror(im), "crop10_side": lambda: crop_side(im, rng),
             "rotate3_crop": lambda: rotate_crop(im, rng.choice([-3, 3]))}
    return other[t](), *jpg


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    fetch(os.path.join(out, "debs"))
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    lines = []
    photos = sources(os.path.join(out, "debs", "x"))
    for group, (package, path) in enumerate(photos):
        im = load(path, margin=package == "tuxpaint-stamps-default")
        items = [("original", im, "jpg", {"quality": 95})] + [(t, *apply(t, im, rng)) for t in TRANSFORMS]
        for t, copy, ext, options in items:
            image = os.path.join(out, "images", f"g{group:03d}_{t}.{ext}")
            copy.save(image, **options)
            lines.append({"path": image, "group": group, "transform": t, "source": path})
            rng.randrange(CAPTIONS)
    write_manifest(out, lines, len(photos))


if __name__ == "__main__":
    main()
