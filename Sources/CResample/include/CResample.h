#ifndef CURATE_CRESAMPLE_H
#define CURATE_CRESAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// The horizontal pass of the 14-bit Lanczos resampler (`LanczosResampler.fastHorizontal`) with AVX2: each of
/// `rows` rows of `width` pixels (rows `stride` bytes apart from `source`) is copied into `line`, whose bytes
/// from `width` on must be zero and which holds at least `width + kernel_size + 16` bytes; output `x` of the row
/// is `clamp((8192 + sum over t < kernel_size of line[starts[x] + t] * weights[x * kernel_size + t]) >> 14, 0, 255)`,
/// written to `out[row * out_width + x]`. `kernel_size` is a multiple of 8.
///
/// It lives in C for one reason: the run-time choice of instruction set. Sixteen pixels a multiply-add instead of
/// baseline x86-64's eight; integer sums, so the result is the same bit for bit. Returns false, doing nothing,
/// when the CPU (or the build's architecture) has no AVX2: the caller then runs its own SSE2 loop.
bool curate_resample_rows_avx2(
    const uint8_t *source, ptrdiff_t stride, int width, int rows, const int32_t *starts, const int16_t *weights,
    int kernel_size, int out_width, uint8_t *line, uint8_t *out);

/// The vertical pass of the same resampler (`LanczosResampler.fastVertical`) with AVX2, on the leading multiple of
/// 16 of the `width` columns: output row `yy` sums source rows `starts[yy] - first_row` on (`counts[yy]` of them,
/// rows `stride` bytes apart from `source`) by `weights[yy * kernel_size ...]`, rounded, shifted by 14 and
/// clamped, written `width` apart from `out`. Returns how many columns it wrote (0 without AVX2); the caller
/// does the rest. Integer sums: the same bytes as the SSE2 loop.
int curate_resample_columns_avx2(
    const uint8_t *source, ptrdiff_t stride, int width, int first_row, const int32_t *starts, const int32_t *counts,
    const int16_t *weights, int kernel_size, int out_height, uint8_t *out);

/// The bilinear turn of `FeatureExtractor.CropIntermediate.rotated` in 16.16 fixed point: output row `v` (`width`
/// pixels, written `width` apart from `out`) starts at source point (`row_x[v]`, `row_y[v]`) and moves by (`step_x`,
/// `step_y`) a pixel; each point is clamped to [0, `max_x`] x [0, `max_y`] and blends the 2x2 source pixels at its
/// integer part by its fraction's top 8 bits. `padded` is the source with its last column and row repeated once
/// more (`padded_width` = width + 1 bytes a row, height + 1 rows) and 4 bytes of slack after it, so the neighbours
/// need no bounds tests. Integer arithmetic: the AVX2 loop (eight pixels at a time, when the CPU has it and
/// `allow_avx2`) and the portable one write the same bytes.
void curate_rotate_rows(
    const uint8_t *padded, int padded_width, int width, int height, const int32_t *row_x, const int32_t *row_y,
    int32_t step_x, int32_t step_y, int32_t max_x, int32_t max_y, uint8_t *out, bool allow_avx2);

/// pHash's 8x8 low-frequency DCT block of a 32x32 luma (`DCTHash.coefficients(luma32x32:into:)`) with AVX2:
/// `out[k * 8 + v]` = sum over x of (sum over y of `c8x32[k * 32 + y]` * pixel (y, x)) * `ct32x8[x * 8 + v]`, each
/// sum taken in index order from zero with every product rounded to float first, so it equals the Swift loop bit
/// for bit. Returns false, doing nothing, when the CPU (or the build's architecture) has no AVX2.
bool curate_phash_coefficients_avx2(const uint8_t *pixels, const float *c8x32, const float *ct32x8, float *out);

#endif
