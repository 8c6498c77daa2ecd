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

#endif
