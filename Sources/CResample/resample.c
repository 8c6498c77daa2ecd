#include "CResample.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

/// Four partial sums of one output (their total is its weighted sum): 16 taps per AVX2 multiply-add, a last
/// group of 8 with SSE2.
__attribute__((target("avx2"), always_inline)) static inline __m128i dot(
    const uint8_t *s, const int16_t *k, int kernel_size)
{
    __m256i wide = _mm256_setzero_si256();
    int t = 0;
    for (; t + 16 <= kernel_size; t += 16) {
        __m256i p = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s + t)));
        wide = _mm256_add_epi32(wide, _mm256_madd_epi16(p, _mm256_loadu_si256((const __m256i *)(k + t))));
    }
    __m128i acc = _mm_add_epi32(_mm256_castsi256_si128(wide), _mm256_extracti128_si256(wide, 1));
    if (t < kernel_size) {
        __m128i p = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(s + t)));
        acc = _mm_add_epi32(acc, _mm_madd_epi16(p, _mm_loadu_si128((const __m128i *)(k + t))));
    }
    return acc;
}

__attribute__((target("avx2"))) static void rows_avx2(
    const uint8_t *source, ptrdiff_t stride, int width, int rows, const int32_t *starts, const int16_t *weights,
    int kernel_size, int out_width, uint8_t *line, uint8_t *out)
{
    const __m128i rounding = _mm_set1_epi32(1 << 13), zero = _mm_setzero_si128();
    for (int y = 0; y < rows; y++) {
        memcpy(line, source + y * stride, (size_t)width);
        uint8_t *o = out + (ptrdiff_t)y * out_width;
        int x = 0;
        // Four outputs at a time: their partial sums are folded by two horizontal adds, then shifted and clamped
        // by saturating packs (as clip8 clamps).
        for (; x + 4 <= out_width; x += 4) {
            __m128i a = dot(line + starts[x], weights + (ptrdiff_t)x * kernel_size, kernel_size);
            __m128i b = dot(line + starts[x + 1], weights + (ptrdiff_t)(x + 1) * kernel_size, kernel_size);
            __m128i c = dot(line + starts[x + 2], weights + (ptrdiff_t)(x + 2) * kernel_size, kernel_size);
            __m128i d = dot(line + starts[x + 3], weights + (ptrdiff_t)(x + 3) * kernel_size, kernel_size);
            __m128i sums = _mm_hadd_epi32(_mm_hadd_epi32(a, b), _mm_hadd_epi32(c, d));
            __m128i shifted = _mm_srai_epi32(_mm_add_epi32(sums, rounding), 14);
            __m128i packed = _mm_packus_epi16(_mm_packs_epi32(shifted, zero), zero);
            int32_t four = _mm_cvtsi128_si32(packed);
            memcpy(o + x, &four, 4);
        }
        for (; x < out_width; x++) {
            __m128i a = dot(line + starts[x], weights + (ptrdiff_t)x * kernel_size, kernel_size);
            __m128i sums = _mm_hadd_epi32(_mm_hadd_epi32(a, zero), zero);
            int32_t v = (_mm_cvtsi128_si32(sums) + (1 << 13)) >> 14;
            o[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}
#endif

bool curate_resample_rows_avx2(
    const uint8_t *source, ptrdiff_t stride, int width, int rows, const int32_t *starts, const int16_t *weights,
    int kernel_size, int out_width, uint8_t *line, uint8_t *out)
{
#if defined(__x86_64__)
    if (!__builtin_cpu_supports("avx2")) return false;
    rows_avx2(source, stride, width, rows, starts, weights, kernel_size, out_width, line, out);
    return true;
#else
    (void)source; (void)stride; (void)width; (void)rows; (void)starts; (void)weights;
    (void)kernel_size; (void)out_width; (void)line; (void)out;
    return false;
#endif
}
