import Foundation
import Synchronization

#if arch(x86_64)
internal import _Builtin_intrinsics.intel
#endif

/// Pillow's `Image.resize(size, LANCZOS)` for 8-bit gray images, bit for bit: separable, horizontal pass first,
/// support scaled by the downscale factor, 22-bit fixed-point weights, and an 8-bit intermediate image.
/// imagehash resizes through exactly this code, so pHash and dHash only match imagehash when it is reproduced.
enum LanczosResampler {
    /// Pillow's fixed-point precision for 8-bit images (`32 - 8 - 2`).
    static let precisionBits: Int32 = 22

    /// Filter taps for one axis: for output `i`, `count[i]` weights starting at input `start[i]`.
    struct Taps: Sendable {
        var start: [Int32]
        var count: [Int32]
        /// `outSize * kernelSize` fixed-point weights.
        var weights: [Int32]
        var kernelSize: Int
        /// The same weights split for 16-bit multiply-adds (SSE2 `pmaddwd`): `w = high * 2^15 + low` with
        /// `low` in 0..<2^15 and `high` small, each output's taps padded with zeros to `groups * 8`.
        /// Layout per output: `groups` blocks of 8 lows, then `groups` blocks of 8 highs.
        var split: [Int16]
        var groups: Int
    }

    /// Pillow's Lanczos-3 kernel (`sinc(x) * sinc(x / 3)` on -3..<3).
    @inline(__always) static func lanczos(_ x: Double) -> Double {
        guard -3.0 <= x && x < 3.0 else { return 0 }
        return sinc(x) * sinc(x / 3)
    }

    @inline(__always) static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let y = x * Double.pi
        return sin(y) / y
    }

    /// Fills `row[0..<count]` with `lanczos(argument(k))`, where the arguments are `step` apart, and returns their
    /// sum. Angle addition carries `sin(pi x)` and `sin(pi x / 3)` from tap to tap, so a row costs two `sin`/`cos`
    /// pairs instead of two `sin` per tap (a 256 -> 32 resize has 49 taps per output). The carried sines drift by
    /// about 1e-16 per tap; arguments near zero, where dividing by the argument would magnify that, are computed
    /// directly. The weights agree with `lanczos` to ~1e-14, far below the 2^-22 that Pillow rounds them to.
    @inline(__always) static func lanczosRow(
        count: Int, step: Double, into row: inout [Double], argument: (Int) -> Double
    ) -> Double {
        guard count > 0 else { return 0 }
        let start = argument(0) * Double.pi, delta = step * Double.pi
        var sin1 = sin(start), cos1 = cos(start), sin3 = sin(start / 3), cos3 = cos(start / 3)
        let stepSin1 = sin(delta), stepCos1 = cos(delta), stepSin3 = sin(delta / 3), stepCos3 = cos(delta / 3)
        var total = 0.0
        for k in 0..<count {
            let x = argument(k)
            let w: Double
            if !(-3.0 <= x && x < 3.0) {
                w = 0
            } else if abs(x) < 0.25 {
                w = lanczos(x)
            } else {
                let y = x * Double.pi
                w = (sin1 / y) * (sin3 / (y / 3))
            }
            row[k] = w
            total += w
            (sin1, cos1) = (sin1 * stepCos1 + cos1 * stepSin1, cos1 * stepCos1 - sin1 * stepSin1)
            (sin3, cos3) = (sin3 * stepCos3 + cos3 * stepSin3, cos3 * stepCos3 - sin3 * stepSin3)
        }
        return total
    }

    /// Taps already computed, by (input size, output size): the same few sizes recur across a dataset, and
    /// computing them costs thousands of `sin` calls.
    private static let cache = Mutex<[Int: Taps]>([:])

    /// `computeTaps`, memoized.
    static func taps(inSize: Int, outSize: Int) -> Taps {
        let key = inSize << 20 | outSize
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let taps = computeTaps(inSize: inSize, outSize: outSize)
        cache.withLock { table in
            if table.count >= 4096 { table.removeAll(keepingCapacity: true) }
            table[key] = taps
        }
        return taps
    }

    /// Pillow's `precompute_coeffs` followed by `normalize_coeffs_8bpc`.
    static func computeTaps(inSize: Int, outSize: Int) -> Taps {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = 3.0 * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        var start = [Int32](repeating: 0, count: outSize)
        var count = [Int32](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * kernelSize)
        var row = [Double](repeating: 0, count: kernelSize)
        let ss = 1.0 / filterScale
        let one = Double(Int32(1) << precisionBits)
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            // C's (int) cast truncates toward zero, as Swift's Int(Double) does.
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            let total = lanczosRow(count: xmax, step: ss, into: &row) { x in (Double(x + xmin) - center + 0.5) * ss }
            for x in 0..<xmax {
                var w = row[x]
                if total != 0 { w /= total }
                weights[xx * kernelSize + x] = w < 0 ? Int32(-0.5 + w * one) : Int32(0.5 + w * one)
            }
            start[xx] = Int32(xmin)
            count[xx] = Int32(max(xmax, 0))
        }
        let groups = max(1, (kernelSize + 7) / 8)
        var split = [Int16](repeating: 0, count: outSize * groups * 16)
        for xx in 0..<outSize {
            for x in 0..<Int(count[xx]) {
                let w = weights[xx * kernelSize + x]
                split[xx * groups * 16 + x] = Int16(w & 0x7FFF)
                split[xx * groups * 16 + groups * 8 + x] = Int16(w >> 15)
            }
        }
        return Taps(start: start, count: count, weights: weights, kernelSize: kernelSize, split: split, groups: groups)
    }

    /// Pillow's `clip8`: drop the fraction and clamp to 0...255.
    @inline(__always) static func clip8(_ sum: Int32) -> UInt8 {
        let v = sum >> precisionBits
        return v < 0 ? 0 : (v > 255 ? 255 : UInt8(v))
    }

    /// Resizes a `width x height` gray plane to `outWidth x outHeight` as Pillow does.
    static func resize(_ pixels: [UInt8], width: Int, height: Int, outWidth: Int, outHeight: Int) -> [UInt8] {
        let needHorizontal = outWidth != width
        let needVertical = outHeight != height
        var source = pixels
        var sourceWidth = width
        var rowOffset = 0
        var usedRows = height
        let vertical = needVertical ? taps(inSize: height, outSize: outHeight) : nil
        if let vertical {
            // Pillow resizes horizontally only the rows the vertical pass reads.
            let first = Int(vertical.start[0])
            let last = Int(vertical.start[outHeight - 1] + vertical.count[outHeight - 1])
            rowOffset = first
            usedRows = last - first
        }
        if needHorizontal {
            source = horizontalPass(pixels, width: width, rows: rowOffset..<(rowOffset + usedRows), outWidth: outWidth)
            sourceWidth = outWidth
        } else {
            rowOffset = 0
        }
        guard let vertical else { return source }
        // Without a horizontal pass the vertical pass reads the original rows, so bounds stay absolute.
        let shift = needHorizontal ? Int(vertical.start[0]) : 0
        return verticalPass(source, sourceWidth: sourceWidth, shift: shift, taps: vertical)
    }

    /// Pillow's horizontal pass over `rows` of a `width`-wide plane, to `outWidth` columns. Each output row depends
    /// on its input row only, so callers may resize a tall strip once and cut several crops from it.
    static func horizontalPass(_ pixels: [UInt8], width: Int, rows: Range<Int>, outWidth: Int) -> [UInt8] {
        let h = taps(inSize: width, outSize: outWidth)
        let usedRows = rows.count, rowOffset = rows.lowerBound
        var out = [UInt8](repeating: 0, count: outWidth * usedRows)
        #if arch(x86_64)
        horizontalSSE2(pixels, width: width, rows: rows, taps: h, into: &out)
        #else
        let half: Int32 = 1 << (precisionBits - 1)
        pixels.withUnsafeBufferPointer { src in
            h.weights.withUnsafeBufferPointer { k in
                out.withUnsafeMutableBufferPointer { dst in
                    // Pointer arithmetic without overflow checks lets the tap loop vectorize.
                    for y in 0..<usedRows {
                        let line = src.baseAddress! + (y + rowOffset) * width
                        let out = dst.baseAddress! + y * outWidth
                        for xx in 0..<outWidth {
                            let s = line + Int(h.start[xx])
                            let kk = k.baseAddress! + xx * h.kernelSize
                            var sum = half
                            for x in 0..<Int(h.count[xx]) { sum = sum &+ Int32(s[x]) &* kk[x] }
                            out[xx] = clip8(sum)
                        }
                    }
                }
            }
        }
        #endif
        return out
    }

    /// Pillow's vertical pass with `vertical` taps: `source` is `sourceWidth` wide and its row 0 holds input row
    /// `shift` (negative when the source starts above the crop being resized).
    static func verticalPass(_ source: [UInt8], sourceWidth: Int, shift: Int, taps vertical: Taps) -> [UInt8] {
        let outWidth = sourceWidth
        let outHeight = vertical.start.count
        #if arch(x86_64)
        if outWidth % 8 == 0 {
            return verticalSSE2(source, width: outWidth, shift: shift, taps: vertical)
        }
        #endif
        var out = [UInt8](repeating: 0, count: outWidth * outHeight)
        let half: Int32 = 1 << (precisionBits - 1)
        source.withUnsafeBufferPointer { src in
            vertical.weights.withUnsafeBufferPointer { k in
                out.withUnsafeMutableBufferPointer { dst in
                    var sums = [Int32](repeating: 0, count: outWidth)
                    sums.withUnsafeMutableBufferPointer { acc in
                        for yy in 0..<outHeight {
                            let ymin = Int(vertical.start[yy]) - shift, n = Int(vertical.count[yy])
                            let kk = k.baseAddress! + yy * vertical.kernelSize
                            for xx in 0..<outWidth { acc[xx] = half }
                            // Row by row, so the inner loop runs along contiguous pixels; integer sums are
                            // order-independent, so the result is Pillow's exactly.
                            for y in 0..<n {
                                let line = src.baseAddress! + (ymin + y) * sourceWidth
                                let weight = kk[y]
                                for xx in 0..<outWidth { acc[xx] = acc[xx] &+ Int32(line[xx]) &* weight }
                            }
                            for xx in 0..<outWidth { dst[yy * outWidth + xx] = clip8(acc[xx]) }
                        }
                    }
                }
            }
        }
        return out
    }

    #if arch(x86_64)
    /// The horizontal pass with SSE2 `pmaddwd`: eight 8-bit pixels times eight 16-bit weight halves per
    /// instruction, against about twenty instructions for eight 32-bit products without SSE4.1. The two halves
    /// recombine as `low + high * 2^15` in wrapping 32-bit arithmetic, which equals Pillow's 32-bit sum exactly
    /// (every partial sum of lows stays below 2^31 for up to 257 taps). Each row is copied into a zero-padded
    /// scratch line, so the 8-byte loads past a row's last tap stay inside memory this function owns.
    static func horizontalSSE2(_ pixels: [UInt8], width: Int, rows: Range<Int>, taps h: Taps, into out: inout [UInt8]) {
        let outWidth = h.start.count
        let half: Int32 = 1 << (precisionBits - 1)
        var scratch = [UInt8](repeating: 0, count: width + h.groups * 8 + 16)
        pixels.withUnsafeBufferPointer { src in
            h.split.withUnsafeBufferPointer { k in
                scratch.withUnsafeMutableBufferPointer { line in
                    out.withUnsafeMutableBufferPointer { dst in
                        let zero = _mm_setzero_si128()
                        let raw = UnsafeRawPointer(line.baseAddress!)
                        let weights = UnsafeRawPointer(k.baseAddress!)
                        for (y, row) in rows.enumerated() {
                            line.baseAddress!.update(from: src.baseAddress! + row * width, count: width)
                            let o = dst.baseAddress! + y * outWidth
                            for xx in 0..<outWidth {
                                let s = raw + Int(h.start[xx])
                                let kk = weights + xx * h.groups * 32
                                var low = zero, high = zero
                                for g in 0..<h.groups {
                                    let p = _mm_unpacklo_epi8(
                                        _mm_loadl_epi64((s + g * 8).assumingMemoryBound(to: __m128i.self)), zero)
                                    let wl = _mm_loadu_si128((kk + g * 16).assumingMemoryBound(to: __m128i.self))
                                    let wh = _mm_loadu_si128(
                                        (kk + (h.groups + g) * 16).assumingMemoryBound(to: __m128i.self))
                                    low = _mm_add_epi32(low, _mm_madd_epi16(p, wl))
                                    high = _mm_add_epi32(high, _mm_madd_epi16(p, wh))
                                }
                                let l = unsafeBitCast(low, to: SIMD4<Int32>.self).wrappedSum()
                                let hh = unsafeBitCast(high, to: SIMD4<Int32>.self).wrappedSum()
                                o[xx] = clip8(half &+ l &+ (hh &<< 15))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The vertical pass with `pmaddwd` for widths that are a multiple of 8 (pHash's 32): two source rows are
    /// interleaved so each 32-bit lane gets `p[y] * w[y] + p[y + 1] * w[y + 1]`, with the weights split into
    /// 16-bit halves as in `horizontalSSE2`; the sums equal Pillow's 32-bit sums exactly.
    static func verticalSSE2(_ source: [UInt8], width: Int, shift: Int, taps v: Taps) -> [UInt8] {
        let outHeight = v.start.count
        var out = [UInt8](repeating: 0, count: width * outHeight)
        let half: Int32 = 1 << (precisionBits - 1)
        @inline(__always) func pair(_ a: Int32, _ b: Int32) -> __m128i {
            _mm_set1_epi32(Int32(bitPattern: UInt32(UInt16(bitPattern: Int16(truncatingIfNeeded: a)))
                | UInt32(UInt16(bitPattern: Int16(truncatingIfNeeded: b))) << 16))
        }
        source.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let zero = _mm_setzero_si128()
                let base = UnsafeRawPointer(src.baseAddress!)
                for yy in 0..<outHeight {
                    let first = Int(v.start[yy]) - shift, n = Int(v.count[yy])
                    let kk = yy * v.kernelSize
                    for x in stride(from: 0, to: width, by: 8) {
                        var low0 = zero, low1 = zero, high0 = zero, high1 = zero
                        var y = 0
                        while y < n {
                            let w0 = v.weights[kk + y], w1 = y + 1 < n ? v.weights[kk + y + 1] : 0
                            let row0 = base + (first + y) * width + x
                            let row1 = y + 1 < n ? row0 + width : row0
                            let a = _mm_loadl_epi64(row0.assumingMemoryBound(to: __m128i.self))
                            let b = _mm_loadl_epi64(row1.assumingMemoryBound(to: __m128i.self))
                            let ab = _mm_unpacklo_epi8(a, b)
                            let p0 = _mm_unpacklo_epi8(ab, zero), p1 = _mm_unpackhi_epi8(ab, zero)
                            let wl = pair(w0 & 0x7FFF, w1 & 0x7FFF), wh = pair(w0 >> 15, w1 >> 15)
                            low0 = _mm_add_epi32(low0, _mm_madd_epi16(p0, wl))
                            low1 = _mm_add_epi32(low1, _mm_madd_epi16(p1, wl))
                            high0 = _mm_add_epi32(high0, _mm_madd_epi16(p0, wh))
                            high1 = _mm_add_epi32(high1, _mm_madd_epi16(p1, wh))
                            y += 2
                        }
                        let l0 = unsafeBitCast(low0, to: SIMD4<Int32>.self), l1 = unsafeBitCast(low1, to: SIMD4<Int32>.self)
                        let h0 = unsafeBitCast(high0, to: SIMD4<Int32>.self), h1 = unsafeBitCast(high1, to: SIMD4<Int32>.self)
                        let o = dst.baseAddress! + yy * width + x
                        for i in 0..<4 {
                            o[i] = clip8(half &+ l0[i] &+ (h0[i] &<< 15))
                            o[4 + i] = clip8(half &+ l1[i] &+ (h1[i] &<< 15))
                        }
                    }
                }
            }
        }
        return out
    }
    #endif
}
