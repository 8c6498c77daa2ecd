internal import CResample
import Synchronization

#if arch(x86_64)
internal import _Builtin_intrinsics.intel
#endif

/// Lanczos resampling as Pillow does it (separable, horizontal pass first over the rows the vertical pass reads,
/// support scaled by the downscale factor, an 8-bit intermediate image), but with 14-bit weights instead of
/// Pillow's 22, so each SSE2 `pmaddwd` multiplies eight pixels by their whole weights (Pillow's precision needs
/// two: see `LanczosResampler.horizontalSSE2`). Outputs differ from Pillow's by at most one gray level, and only
/// where a sum falls within about 2^-14 of a rounding boundary, so a pHash or dHash changes by a bit at most now
/// and then (measured on the fixture photos: Tests/DetectTests/Hashes/FastLanczosTests.swift). Feature extraction
/// resamples through this path; `PerceptualHasher`'s public functions keep the bit-exact one.
///
/// The functions read a rectangle of a larger row-major plane in place (`stride` bytes per row), so views and
/// crops need no copies.
extension LanczosResampler {
    /// Fractional bits of the fast weights.
    static let fastBits: Int32 = 14

    /// Taps for one axis with 14-bit weights: output `i` reads `count[i]` inputs from `start[i]`; its weights are
    /// `weights[i * kernelSize ..< (i + 1) * kernelSize]`, zero after `count[i]`, with `kernelSize` a multiple of 8.
    struct FastTaps: Sendable {
        var start: [Int32]
        var count: [Int32]
        var weights: [Int16]
        var kernelSize: Int
    }

    private static let fastCache = Mutex<[Int: FastTaps]>([:])

    /// Pillow's normalized Lanczos weights for `inSize -> outSize`, rounded to 14 bits; memoized.
    static func fastTaps(inSize: Int, outSize: Int) -> FastTaps {
        let key = inSize << 20 | outSize
        if let hit = fastCache.withLock({ $0[key] }) { return hit }
        let exact = taps(inSize: inSize, outSize: outSize)
        let kernel = max(1, (exact.kernelSize + 7) / 8) * 8
        var weights = [Int16](repeating: 0, count: outSize * kernel)
        for i in 0..<outSize {
            for t in 0..<Int(exact.count[i]) {
                // 22-bit weights (|w| <= 2^22) to 14 bits, rounded.
                let w = exact.weights[i * exact.kernelSize + t]
                weights[i * kernel + t] = Int16((w + (1 << 7)) >> 8)
            }
        }
        let taps = FastTaps(start: exact.start, count: exact.count, weights: weights, kernelSize: kernel)
        fastCache.withLock { table in
            if table.count >= 4096 { table.removeAll(keepingCapacity: true) }
            table[key] = taps
        }
        return taps
    }

    private static let boxCache = Mutex<[BoxKey: FastTaps]>([:])

    private struct BoxKey: Hashable {
        var inSize: Int
        var lower: UInt64
        var upper: UInt64
        var outSize: Int
    }

    /// Taps resampling the input interval `box` (in input pixels, fractional ends allowed) of an axis of `inSize`
    /// pixels to `outSize` outputs: Pillow's `precompute_coeffs` with its `box` argument, 14-bit weights, reading
    /// only the pixels the box touches; memoized.
    static func fastTaps(inSize: Int, box: ClosedRange<Double>, outSize: Int) -> FastTaps {
        let key = BoxKey(inSize: inSize, lower: box.lowerBound.bitPattern, upper: box.upperBound.bitPattern, outSize: outSize)
        if let hit = boxCache.withLock({ $0[key] }) { return hit }
        let scale = (box.upperBound - box.lowerBound) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = 3.0 * filterScale
        let kernel = max(1, (Int(support.rounded(.up)) * 2 + 1 + 7) / 8) * 8
        var start = [Int32](repeating: 0, count: outSize), count = [Int32](repeating: 0, count: outSize)
        var weights = [Int16](repeating: 0, count: outSize * kernel)
        var row = [Double](repeating: 0, count: kernel)
        let lowest = max(0, Int(box.lowerBound.rounded(.down)))
        let highest = min(inSize, Int(box.upperBound.rounded(.up)))
        for xx in 0..<outSize {
            let center = box.lowerBound + (Double(xx) + 0.5) * scale
            // Only pixels inside the box are read, as when the box is cut out first (a cropped copy has nothing
            // beyond its edges); Pillow's own `box` reads on into the neighbouring pixels.
            let xmin = max(Int(center - support + 0.5), lowest)
            let xmax = min(min(Int(center + support + 0.5), highest) - xmin, kernel)
            let total = lanczosRow(count: xmax, step: 1 / filterScale, into: &row) { x in
                (Double(x + xmin) - center + 0.5) / filterScale
            }
            for x in 0..<max(xmax, 0) {
                let w = total != 0 ? row[x] / total : row[x]
                weights[xx * kernel + x] = Int16((w * Double(1 << fastBits)).rounded())
            }
            start[xx] = Int32(xmin)
            count[xx] = Int32(max(xmax, 0))
        }
        let taps = FastTaps(start: start, count: count, weights: weights, kernelSize: kernel)
        boxCache.withLock { table in
            if table.count >= 4096 { table.removeAll(keepingCapacity: true) }
            table[key] = taps
        }
        return taps
    }

    /// `clip8` for 14-bit sums (the rounding half already added).
    @inline(__always) static func fastClip(_ sum: Int32) -> UInt8 {
        let v = sum >> fastBits
        return v < 0 ? 0 : (v > 255 ? 255 : UInt8(v))
    }

    /// The `width x height` rectangle at (`x`, `y`) of a plane with `stride` bytes per row, resized to
    /// `outWidth x outHeight`. A pass whose size does not change is skipped, as in Pillow.
    static func fastResize(
        _ pixels: [UInt8], stride: Int, x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int
    ) -> [UInt8] {
        precondition(x >= 0 && y >= 0 && x + width <= stride && (y + height) * stride <= pixels.count)
        var out = [UInt8](repeating: 0, count: outWidth * outHeight)
        let vertical = outHeight != height ? fastTaps(inSize: height, outSize: outHeight) : nil
        let rows: Range<Int>
        if let vertical {
            let first = Int(vertical.start[0]), last = Int(vertical.start[outHeight - 1] + vertical.count[outHeight - 1])
            rows = first..<last
        } else {
            rows = 0..<height
        }
        if outWidth != width {
            var band = [UInt8](repeating: 0, count: outWidth * rows.count)
            let h = fastTaps(inSize: width, outSize: outWidth)
            pixels.withUnsafeBufferPointer { src in
                band.withUnsafeMutableBufferPointer { dst in
                    fastHorizontal(src.baseAddress! + (y + rows.lowerBound) * stride + x, stride: stride, width: width, rows: rows.count, taps: h, into: dst.baseAddress!)
                }
            }
            guard let vertical else { return band }
            band.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    // The band's row 0 is the rectangle's row `rows.lowerBound`.
                    fastVertical(src.baseAddress!, stride: outWidth, width: outWidth, firstRow: rows.lowerBound, taps: vertical, into: dst.baseAddress!)
                }
            }
            return out
        }
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let origin = src.baseAddress! + y * stride + x
                if let vertical {
                    fastVertical(origin, stride: stride, width: width, firstRow: 0, taps: vertical, into: dst.baseAddress!)
                } else {
                    for r in 0..<height { (dst.baseAddress! + r * width).update(from: origin + r * stride, count: width) }
                }
            }
        }
        return out
    }

    /// The horizontal pass over `rows` rows of `width` pixels starting at `source` (rows `stride` apart), to
    /// `taps.start.count` columns written contiguously from `out`. Runs the C kernel's AVX2 loop where the CPU has
    /// it (the horizontal passes are about a third of feature extraction's time after the decode), else SSE2;
    /// both give the same bytes (`allowAVX2: false` lets tests compare them).
    static func fastHorizontal(
        _ source: UnsafePointer<UInt8>, stride: Int, width: Int, rows: Int, taps h: FastTaps,
        into out: UnsafeMutablePointer<UInt8>, allowAVX2: Bool = true
    ) {
        let outWidth = h.start.count
        let half: Int32 = 1 << (fastBits - 1)
        // Each row goes through a zero-padded line, so loads of whole 8-tap groups stay in owned memory (on the
        // stack for the planes feature extraction reads).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: width + h.kernelSize + 16) { line in
            line.initialize(repeating: 0)
            h.weights.withUnsafeBufferPointer { k in
                h.start.withUnsafeBufferPointer { starts in
                    if allowAVX2,
                        curate_resample_rows_avx2(
                            source, stride, Int32(width), Int32(rows), starts.baseAddress, k.baseAddress,
                            Int32(h.kernelSize), Int32(outWidth), line.baseAddress, out)
                    {
                        return
                    }
                    #if arch(x86_64)
                    let zero = _mm_setzero_si128()
                    let raw = UnsafeRawPointer(line.baseAddress!)
                    let weights = UnsafeRawPointer(k.baseAddress!)
                    let groups = h.kernelSize / 8
                    let rounding = _mm_set1_epi32(half)
                    /// Four partial sums of output `xx` (their total is its weighted sum).
                    @inline(__always) func dot(_ xx: Int) -> __m128i {
                        let s = raw + Int(starts[xx])
                        let kk = weights + xx * h.kernelSize * 2
                        var acc = zero
                        for g in 0..<groups {
                            let p = _mm_unpacklo_epi8(_mm_loadl_epi64((s + g * 8).assumingMemoryBound(to: __m128i.self)), zero)
                            let w = _mm_loadu_si128((kk + g * 16).assumingMemoryBound(to: __m128i.self))
                            acc = _mm_add_epi32(acc, _mm_madd_epi16(p, w))
                        }
                        return acc
                    }
                    for y in 0..<rows {
                        line.baseAddress!.update(from: source + y * stride, count: width)
                        let o = out + y * outWidth
                        var xx = 0
                        // Four outputs at a time: their partial sums are folded together by two unpack-and-add
                        // rounds, then shifted and clamped as `fastClip` does by saturating packs.
                        while xx + 4 <= outWidth {
                            let a = dot(xx), b = dot(xx + 1), c = dot(xx + 2), d = dot(xx + 3)
                            let ab = _mm_add_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b))
                            let cd = _mm_add_epi32(_mm_unpacklo_epi32(c, d), _mm_unpackhi_epi32(c, d))
                            let sums = _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd))
                            let shifted = _mm_srai_epi32(_mm_add_epi32(sums, rounding), fastBits)
                            let packed = _mm_packus_epi16(_mm_packs_epi32(shifted, zero), zero)
                            UnsafeMutableRawPointer(o + xx).storeBytes(of: _mm_cvtsi128_si32(packed), as: Int32.self)
                            xx += 4
                        }
                        while xx < outWidth {
                            o[xx] = fastClip(half &+ unsafeBitCast(dot(xx), to: SIMD4<Int32>.self).wrappedSum())
                            xx += 1
                        }
                    }
                    #else
                    for y in 0..<rows {
                        line.baseAddress!.update(from: source + y * stride, count: width)
                        let o = out + y * outWidth
                        for xx in 0..<outWidth {
                            let s = line.baseAddress! + Int(starts[xx])
                            let kk = k.baseAddress! + xx * h.kernelSize
                            var sum = half
                            for t in 0..<h.kernelSize { sum = sum &+ Int32(s[t]) &* Int32(kk[t]) }
                            o[xx] = fastClip(sum)
                        }
                    }
                    #endif
                }
            }
        }
    }

    /// The vertical pass: output row `i` sums source rows `taps.start[i] - firstRow ...` (rows `stride` apart,
    /// `width` pixels each) and is written contiguously (`width` apart) from `out`. Integer sums, so the order of
    /// the terms does not matter. AVX2 handles sixteen columns at a time where the CPU has it (`allowAVX2: false`
    /// lets tests compare), then SSE2 eight, two source rows per `pmaddwd`, then scalar code the rest.
    static func fastVertical(
        _ source: UnsafePointer<UInt8>, stride: Int, width: Int, firstRow: Int, taps v: FastTaps,
        into out: UnsafeMutablePointer<UInt8>, allowAVX2: Bool = true
    ) {
        let outHeight = v.start.count
        let half: Int32 = 1 << (fastBits - 1)
        v.weights.withUnsafeBufferPointer { k in
            // Sixteen columns at a time with AVX2 where the CPU has it (the crop views' passes are 32 wide).
            var done = !allowAVX2 ? 0 : Int(
                curate_resample_columns_avx2(
                    source, stride, Int32(width), Int32(firstRow), v.start, v.count, k.baseAddress,
                    Int32(v.kernelSize), Int32(outHeight), out))
            #if arch(x86_64)
            let zero = _mm_setzero_si128()
            let rounding = _mm_set1_epi32(half)
            let vectorWidth = width / 8 * 8
            for yy in 0..<outHeight {
                let first = Int(v.start[yy]) - firstRow, n = Int(v.count[yy])
                let kk = k.baseAddress! + yy * v.kernelSize
                for x in Swift.stride(from: done, to: vectorWidth, by: 8) {
                    var acc0 = zero, acc1 = zero
                    var t = 0
                    while t < n {
                        let w0 = UInt32(UInt16(bitPattern: kk[t])), w1 = UInt32(UInt16(bitPattern: kk[t + 1]))
                        let row0 = source + (first + t) * stride + x
                        // The second row's weight is 0 past the last tap: read the first row again then.
                        let row1 = t + 1 < n ? row0 + stride : row0
                        let a = _mm_loadl_epi64(UnsafeRawPointer(row0).assumingMemoryBound(to: __m128i.self))
                        let b = _mm_loadl_epi64(UnsafeRawPointer(row1).assumingMemoryBound(to: __m128i.self))
                        let ab = _mm_unpacklo_epi8(a, b)
                        let w = _mm_set1_epi32(Int32(bitPattern: w0 | w1 << 16))
                        acc0 = _mm_add_epi32(acc0, _mm_madd_epi16(_mm_unpacklo_epi8(ab, zero), w))
                        acc1 = _mm_add_epi32(acc1, _mm_madd_epi16(_mm_unpackhi_epi8(ab, zero), w))
                        t += 2
                    }
                    let s0 = _mm_srai_epi32(_mm_add_epi32(acc0, rounding), fastBits)
                    let s1 = _mm_srai_epi32(_mm_add_epi32(acc1, rounding), fastBits)
                    // Saturating packs clamp to 0...255 exactly as clip8 does.
                    let packed = _mm_packus_epi16(_mm_packs_epi32(s0, s1), zero)
                    _mm_storel_epi64(UnsafeMutableRawPointer(out + yy * width + x).assumingMemoryBound(to: __m128i.self), packed)
                }
            }
            done = max(done, vectorWidth)
            #endif
            guard done < width else { return }
            for yy in 0..<outHeight {
                let first = Int(v.start[yy]) - firstRow, n = Int(v.count[yy])
                let kk = k.baseAddress! + yy * v.kernelSize
                for x in done..<width {
                    var sum = half
                    for t in 0..<n { sum = sum &+ Int32(source[(first + t) * stride + x]) &* Int32(kk[t]) }
                    out[yy * width + x] = fastClip(sum)
                }
            }
        }
    }
}
