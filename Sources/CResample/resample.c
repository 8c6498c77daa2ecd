#include "CResample.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

/// Eight partial sums of one output (their total is its weighted sum): 16 taps per AVX2 multiply-add, a last
/// group of 8 with SSE2 into the low half.
__attribute__((target("avx2"), always_inline)) static inline __m256i dot(
    const uint8_t *s, const int16_t *k, int kernel_size)
{
    __m256i wide = _mm256_setzero_si256();
    int t = 0;
    for (; t + 16 <= kernel_size; t += 16) {
        __m256i p = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s + t)));
        wide = _mm256_add_epi32(wide, _mm256_madd_epi16(p, _mm256_loadu_si256((const __m256i *)(k + t))));
    }
    if (t < kernel_size) {
        __m128i p = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(s + t)));
        __m128i last = _mm_madd_epi16(p, _mm_loadu_si128((const __m128i *)(k + t)));
        wide = _mm256_add_epi32(wide, _mm256_inserti128_si256(_mm256_setzero_si256(), last, 0));
    }
    return wide;
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
        // Four outputs at a time: their partial sums are folded by three horizontal adds of both halves and one
        // add of the halves, then shifted and clamped by saturating packs (as clip8 clamps).
        for (; x + 4 <= out_width; x += 4) {
            __m256i a = dot(line + starts[x], weights + (ptrdiff_t)x * kernel_size, kernel_size);
            __m256i b = dot(line + starts[x + 1], weights + (ptrdiff_t)(x + 1) * kernel_size, kernel_size);
            __m256i c = dot(line + starts[x + 2], weights + (ptrdiff_t)(x + 2) * kernel_size, kernel_size);
            __m256i d = dot(line + starts[x + 3], weights + (ptrdiff_t)(x + 3) * kernel_size, kernel_size);
            __m256i folded = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
            __m128i sums = _mm_add_epi32(_mm256_castsi256_si128(folded), _mm256_extracti128_si256(folded, 1));
            __m128i shifted = _mm_srai_epi32(_mm_add_epi32(sums, rounding), 14);
            __m128i packed = _mm_packus_epi16(_mm_packs_epi32(shifted, zero), zero);
            int32_t four = _mm_cvtsi128_si32(packed);
            memcpy(o + x, &four, 4);
        }
        for (; x < out_width; x++) {
            __m256i a = dot(line + starts[x], weights + (ptrdiff_t)x * kernel_size, kernel_size);
            __m128i half = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
            __m128i sums = _mm_hadd_epi32(_mm_hadd_epi32(half, zero), zero);
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

#if defined(__x86_64__)
/// Sixteen columns an iteration: two source rows' bytes interleaved, widened to 16 bits and multiplied by the two
/// taps' weights in one multiply-add, eight columns to each of two accumulators.
__attribute__((target("avx2"))) static void columns_avx2(
    const uint8_t *source, ptrdiff_t stride, int columns, int first_row, const int32_t *starts,
    const int32_t *counts, const int16_t *weights, int kernel_size, int out_height, int out_stride, uint8_t *out)
{
    const __m256i rounding = _mm256_set1_epi32(1 << 13);
    for (int yy = 0; yy < out_height; yy++) {
        ptrdiff_t first = starts[yy] - first_row;
        int n = counts[yy];
        const int16_t *k = weights + (ptrdiff_t)yy * kernel_size;
        for (int x = 0; x < columns; x += 16) {
            __m256i low = _mm256_setzero_si256(), high = _mm256_setzero_si256();
            for (int t = 0; t < n; t += 2) {
                uint32_t pair = (uint32_t)(uint16_t)k[t] | (uint32_t)(uint16_t)k[t + 1] << 16;
                const uint8_t *row0 = source + (first + t) * stride + x;
                // The second row's weight is 0 past the last tap: read the first row again then.
                const uint8_t *row1 = t + 1 < n ? row0 + stride : row0;
                __m128i a = _mm_loadu_si128((const __m128i *)row0), b = _mm_loadu_si128((const __m128i *)row1);
                __m256i w = _mm256_set1_epi32((int32_t)pair);
                low = _mm256_add_epi32(low, _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_unpacklo_epi8(a, b)), w));
                high = _mm256_add_epi32(high, _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_unpackhi_epi8(a, b)), w));
            }
            low = _mm256_srai_epi32(_mm256_add_epi32(low, rounding), 14);
            high = _mm256_srai_epi32(_mm256_add_epi32(high, rounding), 14);
            // Saturating packs clamp to 0...255 exactly as clip8 does.
            __m128i first8 = _mm_packs_epi32(_mm256_castsi256_si128(low), _mm256_extracti128_si256(low, 1));
            __m128i last8 = _mm_packs_epi32(_mm256_castsi256_si128(high), _mm256_extracti128_si256(high, 1));
            _mm_storeu_si128((__m128i *)(out + (ptrdiff_t)yy * out_stride + x), _mm_packus_epi16(first8, last8));
        }
    }
}
#endif

int curate_resample_columns_avx2(
    const uint8_t *source, ptrdiff_t stride, int width, int first_row, const int32_t *starts, const int32_t *counts,
    const int16_t *weights, int kernel_size, int out_height, uint8_t *out)
{
#if defined(__x86_64__)
    int columns = width / 16 * 16;
    if (columns == 0 || !__builtin_cpu_supports("avx2")) return 0;
    columns_avx2(source, stride, columns, first_row, starts, counts, weights, kernel_size, out_height, width, out);
    return columns;
#else
    (void)source; (void)stride; (void)width; (void)first_row; (void)starts; (void)counts; (void)weights;
    (void)kernel_size; (void)out_height; (void)out;
    return 0;
#endif
}

/// One row of `curate_rotate_rows`, from output pixel `u` on: the portable loop, and the AVX2 one's tail.
static void rotate_row_scalar(
    const uint8_t *padded, int padded_width, int u, int width, uint32_t x, uint32_t y, int32_t step_x,
    int32_t step_y, int32_t max_x, int32_t max_y, uint8_t *out)
{
    x += (uint32_t)step_x * (uint32_t)u;
    y += (uint32_t)step_y * (uint32_t)u;
    for (; u < width; u++, x += (uint32_t)step_x, y += (uint32_t)step_y) {
        int32_t px = (int32_t)x < 0 ? 0 : (int32_t)x > max_x ? max_x : (int32_t)x;
        int32_t py = (int32_t)y < 0 ? 0 : (int32_t)y > max_y ? max_y : (int32_t)y;
        const uint8_t *p = padded + (ptrdiff_t)(py >> 16) * padded_width + (px >> 16);
        int32_t fx = (px >> 8) & 0xFF, fy = (py >> 8) & 0xFF;
        int32_t top = p[0] * (256 - fx) + p[1] * fx;
        int32_t bottom = p[padded_width] * (256 - fx) + p[padded_width + 1] * fx;
        out[u] = (uint8_t)((top * (256 - fy) + bottom * fy + (1 << 15)) >> 16);
    }
}

#if defined(__x86_64__)
/// Eight output pixels an iteration: their source points, clamps and weights in 32-bit lanes, and each pixel's
/// two neighbours in a row fetched by one 32-bit gather (the padded source leaves room for its extra bytes).
__attribute__((target("avx2"))) static void rotate_rows_avx2(
    const uint8_t *padded, int padded_width, int width, int height, const int32_t *row_x, const int32_t *row_y,
    int32_t step_x, int32_t step_y, int32_t max_x, int32_t max_y, uint8_t *out)
{
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i steps_x = _mm256_mullo_epi32(lanes, _mm256_set1_epi32(step_x));
    const __m256i steps_y = _mm256_mullo_epi32(lanes, _mm256_set1_epi32(step_y));
    const __m256i eight_x = _mm256_set1_epi32(step_x * 8), eight_y = _mm256_set1_epi32(step_y * 8);
    const __m256i zero = _mm256_setzero_si256(), bytes = _mm256_set1_epi32(0xFF), full = _mm256_set1_epi32(256);
    const __m256i limit_x = _mm256_set1_epi32(max_x), limit_y = _mm256_set1_epi32(max_y);
    const __m256i stride = _mm256_set1_epi32(padded_width), half = _mm256_set1_epi32(1 << 15);
    for (int v = 0; v < height; v++) {
        uint8_t *o = out + (ptrdiff_t)v * width;
        __m256i x = _mm256_add_epi32(_mm256_set1_epi32(row_x[v]), steps_x);
        __m256i y = _mm256_add_epi32(_mm256_set1_epi32(row_y[v]), steps_y);
        int u = 0;
        for (; u + 8 <= width; u += 8) {
            __m256i px = _mm256_min_epi32(_mm256_max_epi32(x, zero), limit_x);
            __m256i py = _mm256_min_epi32(_mm256_max_epi32(y, zero), limit_y);
            __m256i index = _mm256_add_epi32(
                _mm256_mullo_epi32(_mm256_srai_epi32(py, 16), stride), _mm256_srai_epi32(px, 16));
            __m256i fx = _mm256_and_si256(_mm256_srai_epi32(px, 8), bytes);
            __m256i fy = _mm256_and_si256(_mm256_srai_epi32(py, 8), bytes);
            __m256i upper = _mm256_i32gather_epi32((const int *)padded, index, 1);
            __m256i lower = _mm256_i32gather_epi32((const int *)(padded + padded_width), index, 1);
            __m256i rx = _mm256_sub_epi32(full, fx);
            __m256i top = _mm256_add_epi32(
                _mm256_mullo_epi32(_mm256_and_si256(upper, bytes), rx),
                _mm256_mullo_epi32(_mm256_and_si256(_mm256_srli_epi32(upper, 8), bytes), fx));
            __m256i bottom = _mm256_add_epi32(
                _mm256_mullo_epi32(_mm256_and_si256(lower, bytes), rx),
                _mm256_mullo_epi32(_mm256_and_si256(_mm256_srli_epi32(lower, 8), bytes), fx));
            __m256i value = _mm256_srli_epi32(
                _mm256_add_epi32(
                    _mm256_add_epi32(_mm256_mullo_epi32(top, _mm256_sub_epi32(full, fy)), _mm256_mullo_epi32(bottom, fy)),
                    half),
                16);
            __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(value), _mm256_extracti128_si256(value, 1));
            _mm_storel_epi64((__m128i *)(o + u), _mm_packus_epi16(words, words));
            x = _mm256_add_epi32(x, eight_x);
            y = _mm256_add_epi32(y, eight_y);
        }
        rotate_row_scalar(
            padded, padded_width, u, width, (uint32_t)row_x[v], (uint32_t)row_y[v], step_x, step_y, max_x, max_y, o);
    }
}
#endif

void curate_rotate_rows(
    const uint8_t *padded, int padded_width, int width, int height, const int32_t *row_x, const int32_t *row_y,
    int32_t step_x, int32_t step_y, int32_t max_x, int32_t max_y, uint8_t *out, bool allow_avx2)
{
#if defined(__x86_64__)
    if (allow_avx2 && __builtin_cpu_supports("avx2")) {
        rotate_rows_avx2(padded, padded_width, width, height, row_x, row_y, step_x, step_y, max_x, max_y, out);
        return;
    }
#endif
    (void)allow_avx2;
    for (int v = 0; v < height; v++) {
        rotate_row_scalar(
            padded, padded_width, 0, width, (uint32_t)row_x[v], (uint32_t)row_y[v], step_x, step_y, max_x, max_y,
            out + (ptrdiff_t)v * width);
    }
}
