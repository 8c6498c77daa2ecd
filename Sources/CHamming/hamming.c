#include "CHamming.h"

#include <stdlib.h>

#define PROBE_PARAMETERS \
    const int32_t *offsets, const uint64_t *codes, const int32_t *owners, int words_per_code, \
    curate_code_packing packing, int64_t first_bucket, int64_t end_bucket, const uint32_t *masks, int mask_count, \
    int radius, curate_pair_buffer *out
#define PROBE_ARGUMENTS \
    offsets, codes, owners, words_per_code, packing, first_bucket, end_bucket, masks, mask_count, radius, out


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

/// Full codes and their owners, copied out of the table one bucket after the other.
typedef struct {
    uint64_t *codes;
    int32_t *owners;
    int64_t count, capacity;
} gathered_codes;

/// Room for `needed` codes of `words` words.
static bool reserve(gathered_codes *g, int64_t needed, int words) {
    if (needed <= g->capacity) return true;
    int64_t grown = g->capacity ? g->capacity : 1024;
    while (grown < needed) grown *= 2;
    uint64_t *codes = realloc(g->codes, (size_t)grown * (size_t)words * sizeof(uint64_t));
    if (!codes) return false;
    g->codes = codes;
    int32_t *owners = realloc(g->owners, (size_t)grown * sizeof(int32_t));
    if (!owners) return false;
    g->owners = owners;
    g->capacity = grown;
    return true;
}

/// Appends bucket `b`'s codes, whole again when the table packs them (the chunk's bits are the bucket's number),
/// and their owners.
__attribute__((always_inline)) static inline void gather(
    const int32_t *offsets, const uint64_t *codes, const int32_t *owners, int words, curate_code_packing packing,
    int64_t b, gathered_codes *g)
{
    int64_t start = offsets[b], end = offsets[b + 1];
    if (packing.owner_bits > 0) {
        uint64_t owner_mask = (1ull << packing.owner_bits) - 1;
        uint64_t low_mask = (1ull << packing.chunk_start) - 1;
        int high_shift = packing.chunk_start + packing.chunk_width;
        uint64_t chunk = (uint64_t)b << packing.chunk_start;
        for (int64_t y = start; y < end; y++, g->count++) {
            uint64_t rest = codes[y] >> packing.owner_bits;
            uint64_t high = high_shift < 64 ? (rest >> packing.chunk_start) << high_shift : 0;
            g->codes[g->count] = (rest & low_mask) | chunk | high;
            g->owners[g->count] = (int32_t)(codes[y] & owner_mask);
        }
        return;
    }
    for (int64_t y = start; y < end; y++, g->count++) {
        for (int w = 0; w < words; w++) g->codes[g->count * words + w] = codes[y * words + w];
        g->owners[g->count] = owners[y];
    }
}

/// Gathered code `x` against the `count` gathered codes after it.
///
/// 64-bit codes are counted first in a branch-free loop the compiler vectorizes (hits are rare), then collected.
/// Wider codes (PDQ) sum two words without a branch first, as for unrelated codes that alone exceeds the radius.
__attribute__((always_inline)) static inline bool join(
    const gathered_codes *g, int words, int64_t x, int64_t count, int radius, curate_pair_buffer *out)
{
    const uint64_t *cx = g->codes + x * words;
    const uint64_t *others = cx + words;
    if (words == 1) {
        uint64_t query = cx[0];
        int hits = 0;
        for (int64_t k = 0; k < count; k++) hits += __builtin_popcountll(query ^ others[k]) <= radius;
        if (hits == 0) return true;
    }
    int32_t owner = g->owners[x];
    for (int64_t k = 0; k < count; k++) {
        const uint64_t *cy = others + k * words;
        int distance = __builtin_popcountll(cx[0] ^ cy[0]);
        if (words > 1) distance += __builtin_popcountll(cx[1] ^ cy[1]);
        for (int w = 2; w < words && distance <= radius; w++) distance += __builtin_popcountll(cx[w] ^ cy[w]);
        int32_t other = g->owners[x + 1 + k];
        if (distance <= radius && other != owner) {
            if (!append(out, owner, other)) return false;
        }
    }
    return true;
}

/// Each bucket against itself and its partner buckets. The bucket's codes and then its partners' are first copied
/// one after the other into one buffer, so that each code of the bucket is checked against all that follow it in
/// one long vectorized loop, instead of one short loop per partner (a bucket holds a few codes, a loop over them is
/// mostly its start and end). On the pHash codes of a million-row audit (36M views; a 22-bit chunk probed within
/// 2 bits, 254 partner buckets), one core took that table from 48 to 35 s; on 28M random codes from 32 to 14 s.
__attribute__((always_inline)) static inline bool probe_words(PROBE_PARAMETERS) {
    int64_t *partners = malloc((size_t)mask_count * sizeof(int64_t));
    gathered_codes g = {NULL, NULL, 0, 0};
    bool ok = partners != NULL;
    for (int64_t b1 = first_bucket; b1 < end_bucket && ok; b1++) {
        int64_t own = offsets[b1 + 1] - offsets[b1];
        if (own == 0) continue;
        // Partner buckets are found first in a loop without branches: its loads are independent, so the CPU
        // overlaps their cache misses, and most partners of a sparse table are empty.
        int found = 0;
        for (int m = 0; m < mask_count; m++) {
            int64_t b2 = b1 ^ (int64_t)masks[m];
            partners[found] = b2;
            found += (b2 > b1) & (offsets[b2 + 1] > offsets[b2]);
        }
        int64_t needed = own;
        for (int p = 0; p < found; p++) needed += offsets[partners[p] + 1] - offsets[partners[p]];
        if (needed == 1) continue;
        ok = reserve(&g, needed, words_per_code);
        if (!ok) break;
        g.count = 0;
        gather(offsets, codes, owners, words_per_code, packing, b1, &g);
        for (int p = 0; p < found; p++) gather(offsets, codes, owners, words_per_code, packing, partners[p], &g);
        for (int64_t x = 0; x < own && ok; x++) ok = join(&g, words_per_code, x, needed - x - 1, radius, out);
    }
    free(partners);
    free(g.codes);
    free(g.owners);
    return ok;
}

/// The probe with 64-bit codes compiled apart, its copy and join loops specialized to one word.
__attribute__((always_inline)) static inline bool probe(PROBE_PARAMETERS) {
    if (words_per_code == 1) {
        return probe_words(
            offsets, codes, owners, 1, packing, first_bucket, end_bucket, masks, mask_count, radius, out);
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
