#!/usr/bin/env python3
"""Builds the second "unseen" near-duplicate set: 148 real photographs from 28 Debian packages the curate project
never used, the original plus 13 web-scrape-style copies each (2072 images).

A tester built this set outside the project to check a clustering change on data nobody had tuned on; this is
their builder (sources, extraction and transforms unchanged, same seed, so the same bytes: IMAGES_SHA256 below is
the digest of the images they first scored, and the build says whether it matches). The photos come from the
packages of SOURCES (kphotoalbum's demo album, plasma-workspace-data avatars, gnome-control-center-data faces,
libelementary-data test images, lxqt-themes wallpapers, gimp-help-en tutorial originals and 22 more), each judged
by eye a real photo (no drawing, screenshot or render) and a different photo from every other (pHash distance
> 16, mirror included, and look-alikes side by side); the build re-checks the hashes and fails if two originals
come within 10. The packages are only downloaded and unpacked into DEBS (default OUT/debs; apt-get download,
dpkg-deb -x; nothing is installed); a folder DEBS/x/PACKAGE already there is used as it is.

Original: EXIF orientation applied, transparency flattened on white, long side <= 1600 (Lanczos), JPEG q95.
Copies (each group draws from its own random.Random(SEED * 1000 + group), in this order), JPEG q90 unless stated:
  resize320    long side 320
  jpeg25       JPEG quality 25, full size
  png70        resized to 70%, PNG
  randcrop     random crop keeping 75-85% of the area (aspect jitter 0.9-1.1), random offset
  centercrop   centre crop to 1:1 or 4:3 (3:4 for portraits), then short side 384, as a training pipeline
  hflip        mirror
  colorjitter  brightness x(1 +- 5..15%) and saturation x(1 +- 10..20%)
  grayscale    8-bit grey
  textoverlay  one line of text across the lower third, white with a black outline
  border20     a 20 px frame of one of 8 colours around the photo (canvas grows)
  rotate5      rotated +-5 degrees, canvas expanded, corners white
  blur15       Gaussian blur radius 1.5
  screenshot   the photo at 60-75% of the original width on a plain white or grey canvas under a window title
               bar, PNG

Not entirely unseen: it was first scored at commit 5eb5cfc (the parent of 87fe5d5), and one clustering rule of
87fe5d5, NearDuplicateClusterer.firstCentreStrongLinks, was chosen by looking at its score on this set together
with three other sets.

    .venv-bench/bin/python scripts/make-unseen2-eval.py --out /tmp/curate-bench/unseen2 [--debs DIR]

writes OUT/images/gNNN_TRANSFORM.{jpg,png}, OUT/manifest.jsonl with {"path", "group", "transform", "source"} per
image (source: "package:/path in the package"), OUT/manifest-keyed.jsonl ({"key": file name without extension,
"image": "images/NAME.ext"}: curate's input) and OUT/sources.tsv (group, package, path, size of the original).
"""
import argparse
import glob
import hashlib
import json
import math
import os
import random
import subprocess
import sys

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

from neardup_images import on_white, write_keyed_manifest, write_manifest

Image.MAX_IMAGE_PIXELS = None
IMAGES_SHA256 = "235ca712e897c48ac7276b2fd7df1ae311538ab11f7d99d766f63f7d993d3540"  # images_digest of the first build
SEED = 20261207
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TRANSFORMS = ["resize320", "jpeg25", "png70", "randcrop", "centercrop", "hflip", "colorjitter", "grayscale",
              "textoverlay", "border20", "rotate5", "blur15", "screenshot"]
CAPTIONS = ["Sunday afternoon, finally some rest", "Look what I found today!", "Throwback to the best trip ever",
            "Not edited, straight from my phone", "Who else remembers this place?", "Share if you agree",
            "Photo of the day", "My new favourite wallpaper", "Can you guess where this is?",
            "Nature never stops amazing me"]
TITLES = ["IMG_4032.JPG - Image Viewer", "photo.jpg (1 of 24) - Photos", "Screenshot - Preview",
          "download.jpeg - Eye of GNOME", "wallpaper.jpg - Gwenview", "untitled.png - Viewer"]
BORDER_COLOURS = [(0, 0, 0), (255, 255, 255), (200, 30, 40), (20, 60, 160), (230, 200, 40), (40, 140, 70),
                  (128, 128, 128), (120, 60, 140)]

SOURCES = [
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/anne_helene.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/bar55.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/bar55_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/blackie.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/cold_water.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/donna.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/donna_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/grand_canyon_1.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/grand_canyon_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/grand_canyon_3.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/jesper.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/jesper_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/new_wave_1.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/new_wave_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/pool.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/pool_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/qt-logo.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/skagen.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/skagen_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/snow.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/spiff.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/spiff_2.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/sunset.jpg"),
    ("kphotoalbum", "/usr/share/kphotoalbum/demo/wayne.jpg"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/flowers.png"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/fog.jpg"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/after-the-rain.jpg"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/Butterfly-Kenneth-Wimer.jpg"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/beam.png"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/Valendas.png"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/appleflower.png"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/cloud.png"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/drop.png"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/butterfly.png"),
    ("lxqt-themes", "/usr/share/lxqt/wallpapers/this-is-not-windows.jpg"),
    ("qtbase5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/widgets/painting/composition/flower.jpg"),
    ("qtbase5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/widgets/painting/affine/bg1.jpg"),
    ("qtbase5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/widgets/graphicsview/weatheranchorlayout/images/place.jpg"),
    ("qtdeclarative5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/quick/particles/images/backgroundLeaves.jpg"),
    ("qtdeclarative5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/quick/touchinteraction/flickable/content/cork.jpg"),
    ("qtdeclarative5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/quick/tutorials/samegame/shared/pics/background.jpg"),
    ("qtdeclarative5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/quick/customitems/scrollbar/pics/niagara_falls.jpg"),
    ("qtquickcontrols2-5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/quickcontrols2/imagine/musicplayer/images/album-cover.jpg"),
    ("qt3d5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/qt3d/advancedcustommaterial/textures/sky.jpg"),
    ("qt3d5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/qt3d/exampleresources/assets/gltf/wine/_2004_old_vine_zinfandel_btl_xlg.jpg"),
    ("qt3d5-examples", "/usr/lib/x86_64-linux-gnu/qt5/examples/qt3d/exampleresources/assets/gltf/wine/artezin_bottle.jpg"),
    ("hugin-data", "/usr/share/hugin/xrc/data/help_en_EN/360px-Pantheon-150x100-rect-panini.jpg"),
    ("hugin-data", "/usr/share/hugin/xrc/data/help_en_EN/Big_ben_cylindrical.jpg"),
    ("hugin-data", "/usr/share/hugin/xrc/data/help_en_EN/Medinet_habu_horizontal_stereographic.jpg"),
    ("hugin-data", "/usr/share/hugin/xrc/data/help_en_EN/Vertical-stereographic.jpg"),
    ("hugin-data", "/usr/share/hugin/xrc/data/help_en_EN/CA_fringes00.jpg"),
    ("hugin-data", "/usr/share/hugin/xrc/data/help_en_EN/CA_tCA00.jpg"),
    ("python3-sklearn", "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg"),
    ("python3-sklearn", "/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg"),
    ("python-matplotlib-data", "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"),
    ("sddm-theme-maldives", "/usr/share/sddm/themes/maldives/background.jpg"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/tool-options/lockbrush-zoom200-lock.png"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/toolbox/free-selection.png"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/tutorials/tone-mapping/apple-orchard-truck-from-camera.jpg"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/tutorials/tone-mapping/tree-exposed-for-sky-ground-is-dark.jpg"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/tutorials/tone-mapping/power-lines.jpg"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/tutorials/tone-mapping/with-bilateral-smoothing-of-mask.jpg"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/filters/examples/enhance/high-pass-origin.png"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/filters/examples/blur/mean_curvature-ex-1.jpg"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/filters/examples/taj_orig.jpg"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/using/duck_orig.png"),
    ("gimp-help-en", "/usr/share/gimp/2.0/help/en/images/using/keyfob_orig.png"),
    ("libelementary-data", "/usr/share/elementary/images/insanely_huge_test_image.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/mystrale.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/mystrale_2.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/panel_01.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/plant_01.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/rock_01.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/rock_02.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/sky_01.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/sky_02.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/sky_03.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/sky_04.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/twofish.jpg"),
    ("libelementary-data", "/usr/share/elementary/images/wood_01.jpg"),
    ("efl-doc", "/usr/share/doc/efl-doc/examples/evas/resources/images/im1.png"),
    ("scribus-template", "/usr/share/scribus/templates/cal2/moon.jpg"),
    ("scribus-template", "/usr/share/scribus/templates/menu2/pizza.jpg"),
    ("scribus-template", "/usr/share/scribus/templates/br2/brightness.jpg"),
    ("scribus-template", "/usr/share/scribus/templates/br2/halfmoon.jpg"),
    ("scribus-template", "/usr/share/scribus/templates/br2/moon.jpg"),
    ("scribus-template", "/usr/share/scribus/templates/br2/nature.jpg"),
    ("scribus-template", "/usr/share/scribus/templates/br2/sunset.jpg"),
    ("allegro5-doc", "/usr/share/doc/allegro5-doc/examples/data/obp.jpg"),
    ("digikam-data", "/usr/share/digikam/about/images/body-background.jpg"),
    ("kodi-data", "/usr/share/kodi/addons/skin.estuary/extras/home-images/music.jpg"),
    ("kodi-data", "/usr/share/kodi/addons/skin.estuary/extras/home-images/movie.jpg"),
    ("kodi-data", "/usr/share/kodi/addons/skin.estouchy/background/tv.jpg"),
    ("foobillardplus-data", "/usr/share/games/foobillardplus/data/corr1.png"),
    ("foobillardplus-data", "/usr/share/games/foobillardplus/data/corr2.png"),
    ("foobillardplus-data", "/usr/share/games/foobillardplus/data/corr3.png"),
    ("foobillardplus-data", "/usr/share/games/foobillardplus/data/skyline.png"),
    ("colobot-common-textures", "/usr/share/games/colobot/textures/cloud02.png"),
    ("colobot-common-textures", "/usr/share/games/colobot/textures/cloud03.png"),
    ("colobot-common-textures", "/usr/share/games/colobot/textures/cloud09.png"),
    ("colobot-common-textures", "/usr/share/games/colobot/textures/back01.png"),
    ("colobot-common-textures", "/usr/share/games/colobot/textures/back22.png"),
    ("mypaint-data-extras", "/usr/share/mypaint/backgrounds/ramon/HR_Cork.png"),
    ("mypaint-data-extras", "/usr/share/mypaint/backgrounds/ramon/HR_DecoPaper.png"),
    ("krita-data", "/usr/share/krita/patterns/18_texture-bark.png"),
    ("krita-data", "/usr/share/krita/patterns/02_rough-canvas.png"),
    ("golang-github-disintegration-gift-dev", "/usr/share/gocode/src/github.com/disintegration/gift/testdata/src.jpg"),
    ("golang-github-disintegration-imaging-dev", "/usr/share/gocode/src/github.com/disintegration/imaging/testdata/branches.jpg"),
    ("golang-github-disintegration-imaging-dev", "/usr/share/gocode/src/github.com/disintegration/imaging/testdata/flowers.png"),
    ("golang-golang-x-image-dev", "/usr/share/gocode/src/golang.org/x/image/testdata/blue-purple-pink-large.png"),
    ("golang-golang-x-image-dev", "/usr/share/gocode/src/golang.org/x/image/testdata/yellow_rose.png"),
    ("grass-doc", "/usr/share/doc/grass-doc/html/d_rgb.png"),
    ("afterstep-data", "/usr/share/afterstep/desktop/tiles/rose512.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/bicycle.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/book.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/calculator.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/cat.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/coffee2.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/flower2.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/gamepad.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/guitar2.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/headphones.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/hummingbird.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/mountain.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/plane.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/surfer.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/tomatoes.jpg"),
    ("gnome-control-center-data", "/usr/share/pixmaps/faces/tree.jpg"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Air Balloon.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Astronaut.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Books.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Brushes.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Bulb.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Car.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Cat.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Chameleon.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Cocktail.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Dog.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Fish.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Gamepad.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Owl.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Pancakes.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Parrot.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Pencils.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Shuttle.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Soccer.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Sunflower.png"),
    ("plasma-workspace-data", "/usr/share/plasma/avatars/photos/Sushi.png"),
]


def fetch(debs):
    """DEBS/x, with every package of SOURCES it lacks downloaded and unpacked; exits with a message if it cannot."""
    x = os.path.join(debs, "x")
    missing = sorted({p for p, _ in SOURCES if not os.path.isdir(os.path.join(x, p))})
    if not missing:
        return x
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"fetching {len(missing)} packages: {' '.join(missing)}", file=sys.stderr)
    try:
        os.makedirs(x, exist_ok=True)
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, stdout=sys.stderr)
        subprocess.run(["apt-get", "download", *missing], cwd=debs, check=True, stdout=sys.stderr)
        for pkg in missing:
            deb = sorted(glob.glob(os.path.join(debs, f"{pkg}_*.deb")))[-1]
            subprocess.run(["dpkg-deb", "-x", deb, os.path.join(x, pkg) + ".part"], check=True)
            os.rename(os.path.join(x, pkg) + ".part", os.path.join(x, pkg))
    except (subprocess.CalledProcessError, OSError, IndexError) as error:
        sys.exit(f"make-unseen2-eval.py: could not get the source packages ({error}); the unseen2 set is not built")
    return x


def load(path):
    """The original: EXIF orientation applied, transparency flattened on white, long side <= 1600."""
    im = Image.open(path)
    im = ImageOps.exif_transpose(im)
    im = on_white(im)
    w, h = im.size
    if min(w, h) < 300:
        sys.exit(f"{path}: {w}x{h} is under 300 px on the short side")
    if max(w, h) > 1600:
        s = 1600 / max(w, h)
        im = im.resize((max(1, round(w * s)), max(1, round(h * s))), Image.LANCZOS)
    return im


def scale(im, factor):
    w, h = im.size
    return im.resize((max(1, round(w * factor)), max(1, round(h * factor))), Image.LANCZOS)


def randcrop(im, rng):
    w, h = im.size
    area = rng.uniform(0.75, 0.85)
    ratio = rng.uniform(0.9, 1.1)
    sw, sh = min(1.0, math.sqrt(area * ratio)), min(1.0, math.sqrt(area / ratio))
    cw, ch = round(w * sw), round(h * sh)
    x0, y0 = rng.randint(0, w - cw), rng.randint(0, h - ch)
    return im.crop((x0, y0, x0 + cw, y0 + ch))


def centercrop(im, rng):
    w, h = im.size
    target = rng.choice([1.0, 4 / 3])
    if h > w and target != 1.0:
        target = 3 / 4
    if w / h > target:
        cw, ch = round(h * target), h
    else:
        cw, ch = w, round(w / target)
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    out = im.crop((x0, y0, x0 + cw, y0 + ch))
    s = 384 / min(out.size)
    return out.resize((max(1, round(out.width * s)), max(1, round(out.height * s))), Image.BICUBIC)


def colorjitter(im, rng):
    b = 1 + rng.choice([-1, 1]) * rng.uniform(0.05, 0.15)
    s = 1 + rng.choice([-1, 1]) * rng.uniform(0.10, 0.20)
    return ImageEnhance.Color(ImageEnhance.Brightness(im).enhance(b)).enhance(s)


def textoverlay(im, rng):
    out = im.copy()
    w, h = out.size
    text = rng.choice(CAPTIONS)
    size = max(12, h // 14)
    font = ImageFont.truetype(FONT, size)
    draw = ImageDraw.Draw(out)
    while size > 10 and draw.textlength(text, font=font) > 0.94 * w:
        size -= 1
        font = ImageFont.truetype(FONT, size)
    tw = draw.textlength(text, font=font)
    y = round(h * rng.uniform(0.70, 0.82))
    stroke = max(1, size // 12)
    draw.text(((w - tw) / 2, y), text, font=font, fill=(255, 255, 255), stroke_width=stroke, stroke_fill=(0, 0, 0))
    return out


def border20(im, rng):
    return ImageOps.expand(im, border=20, fill=rng.choice(BORDER_COLOURS))


def rotate5(im, rng):
    return im.rotate(rng.choice([-5, 5]), resample=Image.BICUBIC, expand=True, fillcolor=(255, 255, 255))


def screenshot(im, rng):
    w, h = im.size
    share = rng.uniform(0.60, 0.75)
    photo = scale(im, share)
    bar = max(24, round(h * 0.05))
    canvas_colour = rng.choice([(255, 255, 255), (240, 240, 240), (128, 128, 128), (200, 200, 200)])
    canvas = Image.new("RGB", (w, h + bar), canvas_colour)
    draw = ImageDraw.Draw(canvas)
    bar_colour = rng.choice([(50, 50, 55), (225, 225, 228), (40, 80, 150)])
    draw.rectangle((0, 0, w, bar - 1), fill=bar_colour)
    text_colour = (20, 20, 20) if sum(bar_colour) > 400 else (240, 240, 240)
    font = ImageFont.truetype(FONT_REGULAR, max(10, round(bar * 0.5)))
    draw.text((round(bar * 0.4), round(bar * 0.22)), rng.choice(TITLES), font=font, fill=text_colour)
    r = round(bar * 0.28)
    for k, colour in enumerate([(235, 95, 85), (245, 190, 60), (100, 200, 80)]):
        cx = w - round(bar * (0.7 + 0.9 * k))
        draw.ellipse((cx - r, bar // 2 - r, cx + r, bar // 2 + r), fill=colour)
    x0 = rng.randint(0, w - photo.width)
    y0 = bar + rng.randint(0, h - photo.height)
    canvas.paste(photo, (x0, y0))
    return canvas


def copies(im, rng):
    """(transform, image, format) for every copy, in TRANSFORMS order; one rng draw sequence per group."""
    return [
        ("resize320", scale(im, 320 / max(im.size)), "jpg90"),
        ("jpeg25", im, "jpg25"),
        ("png70", scale(im, 0.7), "png"),
        ("randcrop", randcrop(im, rng), "jpg90"),
        ("centercrop", centercrop(im, rng), "jpg90"),
        ("hflip", ImageOps.mirror(im), "jpg90"),
        ("colorjitter", colorjitter(im, rng), "jpg90"),
        ("grayscale", im.convert("L"), "jpg90"),
        ("textoverlay", textoverlay(im, rng), "jpg90"),
        ("border20", border20(im, rng), "jpg90"),
        ("rotate5", rotate5(im, rng), "jpg90"),
        ("blur15", im.filter(ImageFilter.GaussianBlur(1.5)), "jpg90"),
        ("screenshot", screenshot(im, rng), "png"),
    ]


def save(im, path_noext, fmt):
    if fmt == "png":
        path = path_noext + ".png"
        im.save(path, "PNG", optimize=False)
    else:
        path = path_noext + ".jpg"
        im.save(path, "JPEG", quality=int(fmt[3:]))
    return path


def check_distinct(originals):
    import imagehash
    hashes = [(imagehash.phash(im), imagehash.phash(ImageOps.mirror(im))) for im in originals]
    close = []
    for i in range(len(hashes)):
        for j in range(i + 1, len(hashes)):
            d = min(hashes[i][0] - hashes[j][0], hashes[i][0] - hashes[j][1])
            if d <= 16:
                close.append((i, j, d))
    return close


def images_digest(images):
    """sha256 of the lines "SHA256  NAME" of every file in IMAGES, sorted by name."""
    digest = hashlib.sha256()
    for name in sorted(os.listdir(images)):
        with open(os.path.join(images, name), "rb") as f:
            digest.update(f"{hashlib.sha256(f.read()).hexdigest()}  {name}\n".encode())
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--debs", help="where the packages are downloaded and unpacked (default OUT/debs)")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    x = fetch(os.path.abspath(args.debs or os.path.join(out, "debs")))
    images = os.path.join(out, "images")
    os.makedirs(images, exist_ok=True)
    originals = [load(os.path.join(x, pkg) + rel) for pkg, rel in SOURCES]
    close = check_distinct(originals)
    for i, j, d in close:
        print(f"pHash {d} (mirror included): {SOURCES[i]} {SOURCES[j]}", file=sys.stderr)
    if any(d <= 10 for _, _, d in close):
        sys.exit("sources are not all distinct (pHash <= 10)")
    lines = []
    for group, ((pkg, rel), im) in enumerate(zip(SOURCES, originals)):
        rng = random.Random(SEED * 1000 + group)
        source = f"{pkg}:{rel}"
        base = os.path.join(images, f"g{group:03d}_")
        lines.append({"path": save(im, base + "original", "jpg95"), "group": group, "transform": "original",
                      "source": source})
        for name, copy, fmt in copies(im, rng):
            lines.append({"path": save(copy, base + name, fmt), "group": group, "transform": name, "source": source})
    write_keyed_manifest(out, lines)
    with open(os.path.join(out, "sources.tsv"), "w") as f:
        f.write("group\tpackage\tpath\twidth\theight\n")
        for group, ((pkg, rel), im) in enumerate(zip(SOURCES, originals)):
            f.write(f"{group}\t{pkg}\t{rel}\t{im.width}\t{im.height}\n")
    digest = images_digest(images)
    if digest != IMAGES_SHA256:
        print(f"make-unseen2-eval.py: the images differ from the first build (digest {digest}, expected "
              f"{IMAGES_SHA256}): another Pillow or font version? Scores are not comparable with earlier runs",
              file=sys.stderr)
    write_manifest(out, lines, len(SOURCES))


if __name__ == "__main__":
    main()
