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

/// Codes `[from, end)` within `radius` of the 64-bit code `query`: counted first in a branch-free loop the compiler
/// vectorizes (hits are rare), then collected.
__attribute__((always_inline)) static inline bool join64(
    const uint64_t *codes, const int32_t *owners, int64_t x, int64_t from, int64_t end, int radius,
    curate_pair_buffer *out)
{
    uint64_t query = codes[x];
    int hits = 0;
    for (int64_t y = from; y < end; y++) hits += __builtin_popcountll(query ^ codes[y]) <= radius;
    if (hits == 0) return true;
    for (int64_t y = from; y < end; y++) {
        if (__builtin_popcountll(query ^ codes[y]) <= radius && owners[y] != owners[x]) {
            if (!append(out, owners[x], owners[y])) return false;
        }
    }
    return true;
}

/// Codes `[from, end)` of `words` words each within `radius` of code `x`; two words without a branch first, as
/// for unrelated codes that alone exceeds the radius.
__attribute__((always_inline)) static inline bool join_wide(
    const uint64_t *codes, const int32_t *owners, int words, int64_t x, int64_t from, int64_t end, int radius,
    curate_pair_buffer *out)
{
    const uint64_t *cx = codes + x * words;
    for (int64_t y = from; y < end; y++) {
        const uint64_t *cy = codes + y * words;
        int distance = __builtin_popcountll(cx[0] ^ cy[0]) + __builtin_popcountll(cx[1] ^ cy[1]);
        for (int k = 2; k < words && distance <= radius; k++) distance += __builtin_popcountll(cx[k] ^ cy[k]);
        if (distance <= radius && owners[y] != owners[x]) {
            if (!append(out, owners[x], owners[y])) return false;
        }
    }
    return true;
}

__attribute__((always_inline)) static inline bool probe(PROBE_PARAMETERS) {
    // Partner buckets are gathered first in a loop without branches: its loads are independent, so the CPU
    // overlaps their cache misses, and most partners of a sparse table are empty.
    int64_t *partners = malloc((size_t)mask_count * sizeof(int64_t));
    if (!partners) return false;
    bool ok = true;
    for (int64_t b1 = first_bucket; b1 < end_bucket && ok; b1++) {
        int64_t start1 = offsets[b1], end1 = offsets[b1 + 1];
        if (start1 == end1) continue;
        int found = 0;
        for (int m = 0; m < mask_count; m++) {
            int64_t b2 = b1 ^ (int64_t)masks[m];
            partners[found] = b2;
            found += (b2 >= b1) & (offsets[b2 + 1] > offsets[b2]);
        }
        for (int p = 0; p < found && ok; p++) {
            int64_t b2 = partners[p], end2 = offsets[b2 + 1];
            for (int64_t x = start1; x < end1 && ok; x++) {
                int64_t from = b2 == b1 ? x + 1 : offsets[b2];
                if (from >= end2) continue;
                ok = words_per_code == 1
                    ? join64(codes, owners, x, from, end2, radius, out)
                    : join_wide(codes, owners, words_per_code, x, from, end2, radius, out);
            }
        }
    }
    free(partners);
    return ok;
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
