#ifndef CURATE_CHAMMING_H
#define CURATE_CHAMMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Pair keys found by `curate_hamming_probe`, in a buffer the caller releases with `free(keys)`.
typedef struct {
    uint64_t *keys;
    size_t count;
    size_t capacity;
} curate_pair_buffer;

/// How a table of 64-bit codes stores them: with `owner_bits` 0, codes and owners apart; otherwise each code in one
/// word without the chunk's bits (`chunk_width` bits from bit `chunk_start`; the bucket's number says what they
/// are), shifted up by `owner_bits`, and its owner in the low `owner_bits` bits: 8 bytes a code instead of 12.
typedef struct {
    int owner_bits;
    int chunk_start;
    int chunk_width;
} curate_code_packing;

/// Self-joins the buckets `[first_bucket, end_bucket)` of one multi-index table against the buckets
/// `bucket ^ mask` (for every mask, partner bucket not below the bucket), appending `a << 32 | b` (a < b) for
/// every two codes of different owners within `radius` bits.
///
/// `offsets` has one entry per bucket plus one: bucket `b` holds codes `offsets[b] ..< offsets[b + 1]`;
/// `codes` holds `words_per_code` 64-bit words per code; `owners[i]` is code i's sample; or, when `packing` packs,
/// `codes` holds one packed word per code and `owners` is unused. Returns false only when the buffer cannot grow
/// (out of memory).
///
/// It lives in C for one reason: the run-time choice of instruction set. The Hamming distance is a population
/// count, which baseline x86-64 lacks; the loop is compiled for AVX-512 with its vector population count (eight
/// codes an instruction), for AVX2, for POPCNT and for the baseline, and each call runs the best the CPU has.
bool curate_hamming_probe(
    const int32_t *offsets, const uint64_t *codes, const int32_t *owners, int words_per_code,
    curate_code_packing packing, int64_t first_bucket, int64_t end_bucket, const uint32_t *masks, int mask_count,
    int radius, curate_pair_buffer *out);

/// `curate_hamming_probe` compiled for the baseline instruction set whatever the CPU (tests compare the two).
bool curate_hamming_probe_baseline(
    const int32_t *offsets, const uint64_t *codes, const int32_t *owners, int words_per_code,
    curate_code_packing packing, int64_t first_bucket, int64_t end_bucket, const uint32_t *masks, int mask_count,
    int radius, curate_pair_buffer *out);

#endif
