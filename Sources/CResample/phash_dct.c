#include "CResample.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// No fused multiply-adds: the target has AVX2 without FMA, so every product is rounded before it is added, as in
/// the Swift loop this matches.
__attribute__((target("avx2"))) static void coefficients_avx2(
    const uint8_t *pixels, const float *c8x32, const float *ct32x8, float *out)
{
    // The pixels as floats, a row of 32 in four vectors of eight.
    __m256 p[32][4];
    for (int y = 0; y < 32; y++) {
        for (int b = 0; b < 4; b++) {
            __m128i eight = _mm_loadl_epi64((const __m128i *)(pixels + y * 32 + b * 8));
            p[y][b] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(eight));
        }
    }
    // T = C * P: T[k][x] adds its 32 terms in y order from zero.
    float t[8][32];
    for (int k = 0; k < 8; k++) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int y = 0; y < 32; y++) {
            __m256 w = _mm256_set1_ps(c8x32[k * 32 + y]);
            a0 = _mm256_add_ps(a0, _mm256_mul_ps(w, p[y][0]));
            a1 = _mm256_add_ps(a1, _mm256_mul_ps(w, p[y][1]));
            a2 = _mm256_add_ps(a2, _mm256_mul_ps(w, p[y][2]));
            a3 = _mm256_add_ps(a3, _mm256_mul_ps(w, p[y][3]));
        }
        _mm256_storeu_ps(t[k], a0);
        _mm256_storeu_ps(t[k] + 8, a1);
        _mm256_storeu_ps(t[k] + 16, a2);
        _mm256_storeu_ps(t[k] + 24, a3);
    }
    // F = T * C^T: F[k][v] adds its 32 terms in x order from zero, the eight v at once.
    for (int k = 0; k < 8; k++) {
        __m256 s = _mm256_setzero_ps();
        for (int x = 0; x < 32; x++) s = _mm256_add_ps(s, _mm256_mul_ps(_mm256_set1_ps(t[k][x]), _mm256_loadu_ps(ct32x8 + x * 8)));
        _mm256_storeu_ps(out + k * 8, s);
    }
}
#endif

bool curate_phash_coefficients_avx2(const uint8_t *pixels, const float *c8x32, const float *ct32x8, float *out) {
#if defined(__x86_64__)
    if (!__builtin_cpu_supports("avx2")) return false;
    coefficients_avx2(pixels, c8x32, ct32x8, out);
    return true;
#else
    (void)pixels; (void)c8x32; (void)ct32x8; (void)out;
    return false;
#endif
}
