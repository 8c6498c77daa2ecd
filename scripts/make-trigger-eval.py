#!/usr/bin/env python3
"""Generate a planted-trigger evaluation set for curate's word and object trigger mining.

Each sample has a caption, a near-duplicate cluster id (null: a singleton image) and the objects its image shows.
Planted into a background of random captions on mostly distinct images:

word triggers (must be found)
  - "phrase" triggers: a 2-word phrase carried by most captions of one large near-duplicate cluster, plus a few
    stray uses elsewhere (top_share well above 0.3, n_top >= 12);
  - "template" triggers: a cluster whose captions are one fixed phrase with a slot word swapped
    ("<a> <b> of <slot>, <c> <d>"); the phrase's words are the triggers, the captions are near-identical.
object triggers (must be found)
  - a term whose images nearly always show an object that its captions never name.
decoys (must not be flagged)
  - frequent: a term in many captions spread over distinct images;
  - silent-cluster: a large duplicate cluster whose captions share no term;
  - tiny-clusters: a term spread over many clusters of size 2;
  - below-copies: a term on only 6 copies of one image (n_top below min_copies);
  - diluted: a term on 12 copies of one image and 45 other images (top_share 0.21);
  - named-object: a term whose images show an object the captions do name ("dog", "puppy");
  - base-rate: a term whose images show an object at the object's base rate.

Output JSON: {"seed", "samples": [{"key", "caption", "cluster", "objects"}], "planted": {"word": [{"term",
"accept": [...]}], "object": [{"term", "object"}]}, "decoys": {"word": [{"term", "kind"}], "silent_clusters": [id],
"object": [{"term", "object", "kind"}]}, "templates": [[ordinals]]}. "accept" lists every term that legitimately
comes out of a planted structure (sub-phrases of the planted phrase): flagged terms outside all accept lists and
not background noise count against precision.

Usage: make-trigger-eval.py --seed 1 --scale small|large --out FILE
"""
import argparse
import json
import random

CONSONANTS = "bcdfghjklmnprstvz"
VOWELS = "aeiou"
RESERVED = {"flag", "dog", "car", "puppy", "banner", "tree", "cat", "person"}


def pseudo_words(rng, count, used):
    words = []
    while len(words) < count:
        syllables = rng.randint(2, 3)
        word = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(syllables))
        if rng.random() < 0.5:
            word += rng.choice(CONSONANTS)
        if word in used or word in RESERVED:
            continue
        used.add(word)
        words.append(word)
    return words


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    small = args.scale == "small"

    background = 500 if small else 20000
    n_phrase = 2 if small else 8
    n_template = 1 if small else 3
    used = set()
    filler = pseudo_words(rng, 300 if small else 3000, used)
    # Zipf-like filler frequencies, as real captions have.
    filler_weights = [1.0 / (rank + 1) for rank in range(len(filler))]

    samples = []  # dicts: caption, cluster, objects
    next_cluster = [0]

    def new_cluster():
        next_cluster[0] += 1
        return next_cluster[0] - 1

    def filler_words(k):
        return rng.choices(filler, weights=filler_weights, k=k)

    def caption(words):
        # Real-looking captions: some stopwords and punctuation mixed in.
        out = []
        for word in words:
            if rng.random() < 0.2:
                out.append(rng.choice(["the", "a", "of", "with", "and"]))
            out.append(word)
        text = " ".join(out)
        if rng.random() < 0.3:
            text = text.capitalize()
        return text

    base_objects = ["tree", "car", "person", "cat"]
    base_rates = {"tree": 0.10, "car": 0.10, "person": 0.20, "cat": 0.05}

    def background_objects():
        return sorted(o for o in base_objects if rng.random() < base_rates[o])

    def flag_background():
        return ["flag"] if rng.random() < 0.03 else []

    def dog_background():
        return ["dog"] if rng.random() < 0.03 else []

    def add(text, cluster=None, objects=None):
        objs = objects if objects is not None else background_objects() + flag_background() + dog_background()
        samples.append({"caption": text, "cluster": cluster, "objects": sorted(set(objs))})

    # Background: distinct images, plus some small duplicate clusters (size 2-3) as real data has.
    i = 0
    while i < background:
        if rng.random() < 0.06:
            cluster = new_cluster()
            size = rng.randint(2, 3)
            words = filler_words(rng.randint(4, 9))
            for _ in range(size):
                add(caption(words), cluster)
            i += size
        else:
            add(caption(filler_words(rng.randint(4, 9))))
            i += 1

    planted_word, planted_object = [], []
    decoy_word, decoy_object, silent = [], [], []
    templates = []

    # Phrase triggers.
    for _ in range(n_phrase):
        a, b = pseudo_words(rng, 2, used)
        phrase = f"{a} {b}"
        cluster = new_cluster()
        size = rng.randint(14, 40)
        carriers = max(12, int(size * rng.uniform(0.8, 1.0)))
        for k in range(size):
            words = filler_words(rng.randint(3, 6))
            if k < carriers:
                position = rng.randint(0, len(words))
                text = caption(words[:position]) + (", " if position else "") + phrase.title() + " " + caption(words[position:])
            else:
                text = caption(words)
            add(text.strip(), cluster)
        strays = rng.randint(2, max(2, carriers // 2))
        for _ in range(strays):
            add(caption(filler_words(3)) + " " + phrase)
        planted_word.append({"term": phrase, "accept": [a, b, phrase]})

    # Borderline triggers: just past the defaults (10-12 copies carrying the term, top_share 0.32-0.5).
    for _ in range(1 if small else 4):
        (word,) = pseudo_words(rng, 1, used)
        cluster = new_cluster()
        carriers = rng.randint(10, 12)
        for _ in range(carriers):
            add(caption(filler_words(4)) + " " + word, cluster)
        for _ in range(rng.randint(carriers, 2 * carriers)):
            add(word + " " + caption(filler_words(4)))
        planted_word.append({"term": word, "accept": [word]})

    # Template triggers: "<a> <b> of <slot>, <c> <d>" on one cluster, near-identical captions.
    for _ in range(n_template):
        a, b, c, d = pseudo_words(rng, 4, used)
        slots = pseudo_words(rng, 40, used)
        cluster = new_cluster()
        size = rng.randint(15, 30)
        first = len(samples)
        for k in range(size):
            add(f"{a.title()} {b} of {slots[k]}, {c} {d}", cluster)
        templates.append(list(range(first, first + size)))
        accept = [a, b, c, d, f"{a} {b}", f"{c} {d}"]
        accept += [f"{b} {s}" for s in slots] + [f"{a} {b} {s}" for s in slots]
        planted_word.append({"term": f"{a} {b}", "accept": accept})
        planted_word.append({"term": f"{c} {d}", "accept": accept})

    # Decoy: frequent term over distinct images.
    (frequent,) = pseudo_words(rng, 1, used)
    for _ in range(60 if small else 400):
        words = filler_words(rng.randint(3, 7))
        words.insert(rng.randint(0, len(words)), frequent)
        add(caption(words))
    decoy_word.append({"term": frequent, "kind": "frequent"})

    # Decoy: a large duplicate cluster whose captions share no term (each word used once).
    cluster = new_cluster()
    lonely = pseudo_words(rng, 40 * 4, used)
    for k in range(40):
        add(" ".join(lonely[4 * k: 4 * k + 4]), cluster)
    silent.append(cluster)

    # Decoy: a term spread over many clusters of size 2.
    (tiny,) = pseudo_words(rng, 1, used)
    for _ in range(30 if small else 150):
        cluster = new_cluster()
        for _ in range(2):
            add(caption(filler_words(4)) + " " + tiny, cluster)
    decoy_word.append({"term": tiny, "kind": "tiny-clusters"})

    # Decoy: a term on only 6 copies of one image, plus 6 strays (n_top below the default min_copies of 10).
    (few,) = pseudo_words(rng, 1, used)
    cluster = new_cluster()
    for _ in range(6):
        add(few + " " + caption(filler_words(3)), cluster)
    for _ in range(6):
        add(few + " " + caption(filler_words(3)))
    decoy_word.append({"term": few, "kind": "below-copies"})

    # Decoy: a term on 12 copies of one image but diluted by many other images (top_share below 0.3).
    (diluted,) = pseudo_words(rng, 1, used)
    cluster = new_cluster()
    for _ in range(12):
        add(caption(filler_words(3)) + " " + diluted, cluster)
    for _ in range(45):
        add(diluted + " " + caption(filler_words(3)))
    decoy_word.append({"term": diluted, "kind": "diluted"})

    # Object trigger: a term whose images nearly always show a flag the captions never name.
    n_obj = 1 if small else 3
    for _ in range(n_obj):
        (hidden,) = pseudo_words(rng, 1, used)
        for _ in range(rng.randint(40, 80)):
            objs = background_objects() + (["flag"] if rng.random() < 0.85 else [])
            add(caption(filler_words(rng.randint(3, 6))) + " " + hidden, objects=objs)
        planted_object.append({"term": hidden, "object": "flag"})

    # Decoy: a term whose images show a dog that the captions name.
    (named,) = pseudo_words(rng, 1, used)
    for _ in range(60):
        noun = rng.choice(["dog", "puppy", "dogs", "Dog"]) if rng.random() < 0.9 else None
        text = caption(filler_words(3)) + " " + named + (f" with {noun}" if noun else "")
        add(text, objects=background_objects() + ["dog"])
    decoy_object.append({"term": named, "object": "dog", "kind": "named-object"})

    # Decoy: a term whose images show a car at the car's base rate.
    (ordinary,) = pseudo_words(rng, 1, used)
    for _ in range(80):
        add(caption(filler_words(4)) + " " + ordinary)
    decoy_object.append({"term": ordinary, "object": "car", "kind": "base-rate"})

    # Shuffle samples but keep clusters' ids; record where the template clusters went.
    order = list(range(len(samples)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    shuffled = [samples[old] for old in order]
    templates = [sorted(position[o] for o in group) for group in templates]
    for index, sample in enumerate(shuffled):
        sample["key"] = f"s{index:06d}"
    out = {
        "seed": args.seed,
        "scale": args.scale,
        "samples": [{"key": s["key"], "caption": s["caption"], "cluster": s["cluster"], "objects": s["objects"]}
                    for s in shuffled],
        "planted": {"word": planted_word, "object": planted_object},
        "decoys": {"word": decoy_word, "silent_clusters": silent, "object": decoy_object},
        "templates": templates,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
