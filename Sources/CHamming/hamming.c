#include "CHamming.h"

#include <stdlib.h>

#define PROBE_PARAMETERS \
    const int32_t *offsets, const uint64_t *codes, const int32_t *owners, int words_per_code, \
    int64_t first_bucket, int64_t end_bucket, const uint32_t *masks, int mask_count, int radius, \
    curate_pair_buffer *out
#define PROBE_ARGUMENTS \
    offsets, codes, owners, words_per_code, first_bucket, end_bucket, masks, mask_count, radius, out


static bool append(curate_pair_buffer *out, int32_t a, int32_t b) {
    if (out->count == out->capacity) {
        size_t capacity = out->capacity ? out->capacity * 2 : 256;
        uint64_t *grown = realloc(out->keys, capacity * sizeof(uint64_t));
        if (!grown) return false;
        out->keys = grown;
        out->capacity = capacity;
    }
    uint64_t lo = (uint64_t)(uint32_t)(a < b ? a : b), hi = (uint64_t)(uint32_t)(a < b ? b : a);
    out->keys[out->count++] = lo << 32 | hi;
    return true;
}

/// Code `x` of the table against `count` codes of `words` words each at `others`: the k-th is the table's code
/// `index[k]`, or `base + k` when `index` is NULL (the codes after `x` in its own bucket).
///
/// 64-bit codes are counted first in a branch-free loop the compiler vectorizes (hits are rare), then collected.
/// Wider codes (PDQ) sum two words without a branch first, as for unrelated codes that alone exceeds the radius.
__attribute__((always_inline)) static inline bool join(
    const uint64_t *codes, const int32_t *owners, int words, int64_t x, const uint64_t *others,
    const int64_t *index, int64_t base, int64_t count, int radius, curate_pair_buffer *out)
{
    const uint64_t *cx = codes + x * words;
    if (words == 1) {
        uint64_t query = cx[0];
        int hits = 0;
        for (int64_t k = 0; k < count; k++) hits += __builtin_popcountll(query ^ others[k]) <= radius;
        if (hits == 0) return true;
    }
    for (int64_t k = 0; k < count; k++) {
        const uint64_t *cy = others + k * words;
        int distance = __builtin_popcountll(cx[0] ^ cy[0]);
        if (words > 1) distance += __builtin_popcountll(cx[1] ^ cy[1]);
        for (int w = 2; w < words && distance <= radius; w++) distance += __builtin_popcountll(cx[w] ^ cy[w]);
        int64_t y = index ? index[k] : base + k;
        if (distance <= radius && owners[y] != owners[x]) {
            if (!append(out, owners[x], owners[y])) return false;
        }
    }
    return true;
}

/// Room for `needed` gathered codes of `words` words and their indices.
static bool reserve(uint64_t **gathered, int64_t **index, int64_t *capacity, int64_t needed, int words) {
    if (needed <= *capacity) return true;
    int64_t grown = *capacity ? *capacity : 1024;
    while (grown < needed) grown *= 2;
    uint64_t *codes = realloc(*gathered, (size_t)grown * (size_t)words * sizeof(uint64_t));
    if (!codes) return false;
    *gathered = codes;
    int64_t *places = realloc(*index, (size_t)grown * sizeof(int64_t));
    if (!places) return false;
    *index = places;
    *capacity = grown;
    return true;
}

/// Each bucket against itself and its partner buckets. The partners' codes are first copied one after the other
/// into one buffer, so that each code of the bucket is checked against all of them in one long vectorized loop,
/// instead of one short loop per partner (a bucket holds a few codes, a loop over them is mostly its start and end).
/// On the pHash codes of a million-row audit (36M views; a 22-bit chunk probed within 2 bits, 254 partner buckets),
/// one core took that table from 48 to 35 s; on 28M random codes from 32 to 14 s.
__attribute__((always_inline)) static inline bool probe_words(PROBE_PARAMETERS) {
    int64_t *partners = malloc((size_t)mask_count * sizeof(int64_t));
    uint64_t *gathered = NULL;
    int64_t *index = NULL, capacity = 0;
    bool ok = partners != NULL;
    for (int64_t b1 = first_bucket; b1 < end_bucket && ok; b1++) {
        int64_t start1 = offsets[b1], end1 = offsets[b1 + 1];
        if (start1 == end1) continue;
        // Partner buckets are found first in a loop without branches: its loads are independent, so the CPU
        // overlaps their cache misses, and most partners of a sparse table are empty.
        int found = 0;
        for (int m = 0; m < mask_count; m++) {
            int64_t b2 = b1 ^ (int64_t)masks[m];
            partners[found] = b2;
            found += (b2 > b1) & (offsets[b2 + 1] > offsets[b2]);
        }
        for (int64_t x = start1; x + 1 < end1 && ok; x++) {
            ok = join(codes, owners, words_per_code, x, codes + (x + 1) * words_per_code, NULL, x + 1, end1 - x - 1,
                radius, out);
        }
        int64_t n = 0;
        for (int p = 0; p < found && ok; p++) {
            int64_t start2 = offsets[partners[p]], end2 = offsets[partners[p] + 1];
            ok = reserve(&gathered, &index, &capacity, n + end2 - start2, words_per_code);
            if (!ok) break;
            for (int64_t y = start2; y < end2; y++, n++) {
                for (int w = 0; w < words_per_code; w++) {
                    gathered[n * words_per_code + w] = codes[y * words_per_code + w];
                }
                index[n] = y;
            }
        }
        for (int64_t x = start1; x < end1 && ok && n > 0; x++) {
            ok = join(codes, owners, words_per_code, x, gathered, index, 0, n, radius, out);
        }
    }
    free(partners);
    free(gathered);
    free(index);
    return ok;
}

/// The probe with 64-bit codes compiled apart, its copy and join loops specialized to one word.
__attribute__((always_inline)) static inline bool probe(PROBE_PARAMETERS) {
    if (words_per_code == 1) {
        return probe_words(offsets, codes, owners, 1, first_bucket, end_bucket, masks, mask_count, radius, out);
    }
    return probe_words(PROBE_ARGUMENTS);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512vl,avx512bw,avx512vpopcntdq,avx2,popcnt"))) static bool probe_avx512(
    PROBE_PARAMETERS) { return probe(PROBE_ARGUMENTS); }
__attribute__((target("avx2,popcnt"))) static bool probe_avx2(PROBE_PARAMETERS) { return probe(PROBE_ARGUMENTS); }
__attribute__((target("popcnt"))) static bool probe_popcnt(PROBE_PARAMETERS) { return probe(PROBE_ARGUMENTS); }
#endif

bool curate_hamming_probe_baseline(PROBE_PARAMETERS) { return probe(PROBE_ARGUMENTS); }

bool curate_hamming_probe(PROBE_PARAMETERS) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512vpopcntdq") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bw"))
        return probe_avx512(PROBE_ARGUMENTS);
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) return probe_avx2(PROBE_ARGUMENTS);
    if (__builtin_cpu_supports("popcnt")) return probe_popcnt(PROBE_ARGUMENTS);
#endif
    return probe(PROBE_ARGUMENTS);
}
