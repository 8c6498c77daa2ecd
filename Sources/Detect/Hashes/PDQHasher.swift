import Synchronization

#if arch(x86_64)
internal import _Builtin_intrinsics.intel
#endif

/// Meta's PDQ (pdqhashing.cpp in ThreatExchange, wrapped by the `pdqhash` Python package): float luma,
/// two passes of Jarosz box filters sized from the image, decimation to 64x64, a 16x16 DCT of frequencies
/// 1...16, bit = coefficient > median. Bit `i * 16 + j` is coefficient (i, j), so `PDQHash.hex` matches the
/// reference hex.
enum PDQHasher {
    /// Images smaller than this on a side hash to zero with quality 0, as in the reference.
    static let minimumSide = 5

    /// Reference `computeJaroszFilterWindowSize`.
    static func windowSize(_ oldDimension: Int, _ newDimension: Int) -> Int {
        (oldDimension + 2 * newDimension - 1) / (2 * newDimension)
    }

    /// Reference `box1DFloat`: a centered running mean with shrinking windows at the ends.
    @inline(__always)
    static func box1D(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, length: Int, stride: Int, window: Int) {
        let half = (window + 2) / 2
        var li = 0, ri = 0, oi = 0
        var sum: Float = 0
        var current = 0
        for _ in 0..<(half - 1) {
            sum += input[ri]
            current += 1
            ri += stride
        }
        for _ in 0..<(window - half + 1) {
            sum += input[ri]
            current += 1
            output[oi] = sum / Float(current)
            ri += stride
            oi += stride
        }
        if length > window {
            for _ in 0..<(length - window) {
                sum += input[ri]
                sum -= input[li]
                output[oi] = sum / Float(current)
                li += stride
                ri += stride
                oi += stride
            }
        }
        for _ in 0..<(half - 1) {
            sum -= input[li]
            current -= 1
            output[oi] = sum / Float(current)
            li += stride
            oi += stride
        }
    }

    /// The 64x64 blurred and decimated luma (reference `jaroszFilterFloat` + `decimateFloat`).
    static func downsample(_ luma: [Float], rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 64 * 64)
        if rows == 64 && cols == 64 { return luma }
        var a = luma
        var b = [Float](repeating: 0, count: luma.count)
        let alongRows = windowSize(cols, 64), alongCols = windowSize(rows, 64)
        a.withUnsafeMutableBufferPointer { p1 in
            b.withUnsafeMutableBufferPointer { p2 in
                let one = p1.baseAddress!, two = p2.baseAddress!
                // A window of 1 is the identity: skip its passes (images of at most 191 px on a side).
                for _ in 0..<2 {
                    if alongRows > 1 {
                        for i in 0..<rows { box1D(one + i * cols, two + i * cols, length: cols, stride: 1, window: alongRows) }
                    } else {
                        two.update(from: one, count: rows * cols)
                    }
                    if alongCols > 1 {
                        for j in 0..<cols { box1D(two + j, one + j, length: rows, stride: cols, window: alongCols) }
                    } else {
                        one.update(from: two, count: rows * cols)
                    }
                }
            }
        }
        a.withUnsafeBufferPointer { src in
            for i in 0..<64 {
                let ini = Int((Double(i) + 0.5) * Double(rows) / 64)
                for j in 0..<64 {
                    let inj = Int((Double(j) + 0.5) * Double(cols) / 64)
                    out[i * 64 + j] = src[ini * cols + inj]
                }
            }
        }
        return out
    }

    /// Where to sample one axis of a plane that the decoder already shrank by `scale`, and which extra box window
    /// to run first, so the result approximates the reference's filter on the full-size image.
    ///
    /// The reference blurs with two box passes of window W (computed from the full size) and samples pixel
    /// `int((i + 0.5) * full / 64)`. TurboJPEG's DCT scaling already averaged about `scale` pixels, so only the
    /// variance still missing is added (two passes of a box `w` at the reduced size), and each sample is read by
    /// linear interpolation at the reference's sample centre (box windows of even size shift the centre by half a
    /// pixel per pass, in the reference and here).
    struct ScaledAxis {
        var window: Int
        /// Fractional sample positions in the filtered reduced plane, 64 of them.
        var positions: [Double]
    }

    static func scaledAxis(size: Int, scale: Double) -> ScaledAxis {
        let full = max(Int((Double(size) * scale).rounded()), 1)
        let w = windowSize(full, 64)
        let referenceVariance = 2 * Double(w * w - 1) / 12
        let missing = max(0, referenceVariance - max(0, scale * scale - 1) / 12) / (scale * scale)
        var window = 1
        while window < size / 4, abs(2 * Double((window + 1) * (window + 1) - 1) / 12 - missing) < abs(2 * Double(window * window - 1) / 12 - missing) {
            window += 1
        }
        let referenceShift = w % 2 == 0 ? 1.0 : 0.0
        let ownShift = window % 2 == 0 ? 1.0 : 0.0
        let positions = (0..<64).map { i -> Double in
            let n0 = Int((Double(i) + 0.5) * Double(full) / 64)
            let centre = (Double(n0) + 0.5 + referenceShift) / scale
            return min(max(centre - 0.5 - ownShift, 0), Double(size - 1))
        }
        return ScaledAxis(window: window, positions: positions)
    }

    /// One axis of the fast path: for each of the 64 outputs, the weights over a run of input positions that
    /// the two box passes followed by linear interpolation put on them.
    struct AxisWeights {
        var start: [Int]
        var length: [Int]
        /// 64 rows of `stride` weights.
        var weights: [Float]
        var stride: Int
    }

    /// The rows of (box ∘ box), blended linearly between neighbouring positions. Box rows follow `box1D`: output p
    /// averages inputs `p - (w - h) ... p + h - 1` clipped to the vector, so the ends average fewer inputs.
    static func axisWeights(size n: Int, axis: ScaledAxis) -> AxisWeights {
        let w = axis.window
        let h = (w + 2) / 2
        func window(_ p: Int) -> ClosedRange<Int> { max(0, p - (w - h))...min(n - 1, p + h - 1) }
        let reach = 2 * max(w - h, h - 1) + 1
        let stride = 2 * reach + 2
        var start = [Int](repeating: 0, count: 64), length = [Int](repeating: 0, count: 64)
        var weights = [Float](repeating: 0, count: 64 * stride)
        var row = [Double](repeating: 0, count: n)
        for i in 0..<64 {
            let f = axis.positions[i]
            let p0 = min(Int(f), n - 1), p1 = min(p0 + 1, n - 1)
            let t = f - Double(p0)
            var lo = n, hi = -1
            for (p, share) in [(p0, 1 - t), (p1, t)] where share > 0 {
                let outer = window(p)
                for k in outer {
                    let inner = window(k)
                    let weight = share / Double(outer.count) / Double(inner.count)
                    for m in inner { row[m] += weight }
                    lo = min(lo, inner.lowerBound)
                    hi = max(hi, inner.upperBound)
                }
            }
            start[i] = lo
            length[i] = hi - lo + 1
            for m in lo...hi {
                weights[i * stride + m - lo] = Float(row[m])
                row[m] = 0
            }
        }
        return AxisWeights(start: start, length: length, weights: weights, stride: stride)
    }

    /// Axis weights already computed, by (size, scale): the same few sizes recur across a dataset and across the
    /// views of one image, and each costs a few thousand small allocations and Double sums.
    private static let weightCache = Mutex<[AxisKey: AxisWeights]>([:])

    struct AxisKey: Hashable {
        var size: Int
        var scale: UInt64
    }

    /// `axisWeights(size:axis: scaledAxis(size:scale:))`, memoized.
    static func cachedAxisWeights(size: Int, scale: Double) -> AxisWeights {
        let key = AxisKey(size: size, scale: scale.bitPattern)
        if let hit = weightCache.withLock({ $0[key] }) { return hit }
        let weights = axisWeights(size: size, axis: scaledAxis(size: size, scale: scale))
        weightCache.withLock { table in
            if table.count >= 4096 { table.removeAll(keepingCapacity: true) }
            table[key] = weights
        }
        return weights
    }

    /// The 64x64 buffer by separable weighted sums at the 64x64 sample points only: the reference's filter and
    /// decimation (up to Float rounding) at full size, its emulation on a DCT-scaled plane (see `ScaledAxis`).
    /// Vertical sums run along contiguous rows, so this is several times faster than the four box passes.
    static func downsampleFast(_ plane: GrayPlane) -> [Float] {
        let rows = plane.height, cols = plane.width
        let wy = cachedAxisWeights(size: rows, scale: plane.scaleY)
        let wx = cachedAxisWeights(size: cols, scale: plane.scaleX)
        var partial = [Float](repeating: 0, count: 64 * cols)
        var out = [Float](repeating: 0, count: 64 * 64)
        // The vertical pass reads the Float luma, or a gray plane's bytes converted on the fly (the same values).
        func vertical<Pixel>(_ source: [Pixel], _ value: (Pixel) -> Float) {
            source.withUnsafeBufferPointer { src in
                partial.withUnsafeMutableBufferPointer { t in
                    wy.weights.withUnsafeBufferPointer { k in
                        for i in 0..<64 {
                            let dst = t.baseAddress! + i * cols
                            for r in 0..<wy.length[i] {
                                let weight = k[i * wy.stride + r]
                                let line = src.baseAddress! + (wy.start[i] + r) * cols
                                for x in 0..<cols { dst[x] += weight * value(line[x]) }
                            }
                        }
                    }
                }
            }
        }
        if let luma = plane.luma { vertical(luma) { $0 } } else { vertical(plane.gray) { Float($0) } }
        // The horizontal sums run down the columns, 32 rows at a time: each lane adds its row's terms in the same
        // order as a scalar loop (from zero, c ascending, multiply then add), so the values are bit-identical, and
        // the adds of 32 rows overlap instead of waiting on each other. The columns are read from a transposed copy.
        let columns = transposed(partial, rows: 64, cols: cols)
        columns.withUnsafeBufferPointer { t in
            wx.weights.withUnsafeBufferPointer { k in
                out.withUnsafeMutableBufferPointer { o in
                    let raw = UnsafeRawPointer(t.baseAddress!)
                    for half in stride(from: 0, to: 64, by: 32) {
                        for j in 0..<64 {
                            var low = SIMD16<Float>(), high = SIMD16<Float>()
                            let base = wx.start[j]
                            for c in 0..<wx.length[j] {
                                let weight = SIMD16<Float>(repeating: k[j * wx.stride + c])
                                let column = raw + ((base + c) * 64 + half) * 4
                                low += weight * column.loadUnaligned(as: SIMD16<Float>.self)
                                high += weight * (column + 64).loadUnaligned(as: SIMD16<Float>.self)
                            }
                            for lane in 0..<16 {
                                o[(half + lane) * 64 + j] = low[lane]
                                o[(half + lane + 16) * 64 + j] = high[lane]
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `values` (`rows` rows of `cols`, `rows` a multiple of 4) as `cols` rows of `rows`, by 4x4 blocks in registers.
    private static func transposed(_ values: [Float], rows: Int, cols: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * cols) { out, initialized in
            values.withUnsafeBufferPointer { source in
                let src = source.baseAddress!, dst = out.baseAddress!
                var x = 0
                #if arch(x86_64)
                while x + 4 <= cols {
                    for y in stride(from: 0, to: rows, by: 4) {
                        let r0 = _mm_loadu_ps(src + y * cols + x), r1 = _mm_loadu_ps(src + (y + 1) * cols + x)
                        let r2 = _mm_loadu_ps(src + (y + 2) * cols + x), r3 = _mm_loadu_ps(src + (y + 3) * cols + x)
                        let t0 = _mm_unpacklo_ps(r0, r1), t1 = _mm_unpacklo_ps(r2, r3)
                        let t2 = _mm_unpackhi_ps(r0, r1), t3 = _mm_unpackhi_ps(r2, r3)
                        _mm_storeu_ps(dst + x * rows + y, _mm_movelh_ps(t0, t1))
                        _mm_storeu_ps(dst + (x + 1) * rows + y, _mm_movehl_ps(t1, t0))
                        _mm_storeu_ps(dst + (x + 2) * rows + y, _mm_movelh_ps(t2, t3))
                        _mm_storeu_ps(dst + (x + 3) * rows + y, _mm_movehl_ps(t3, t2))
                    }
                    x += 4
                }
                #endif
                for x in x..<cols {
                    for y in 0..<rows { dst[x * rows + y] = src[y * cols + x] }
                }
            }
            initialized = rows * cols
        }
    }

    /// Reference `pdqImageDomainQualityMetric`: truncated gradient sum over the 64x64 image, scaled to 0...100.
    static func quality(_ buffer: [Float]) -> Int {
        var sum = 0
        buffer.withUnsafeBufferPointer { p in
            #if arch(x86_64)
            // The same single-precision subtract, multiply, divide and truncation (cvttps2dq, C's int cast) as the
            // reference, four lanes at a time; |difference| <= 100, so the 32-bit lane sums cannot overflow.
            let raw = UnsafeRawPointer(p.baseAddress!)
            func load(_ index: Int) -> __m128 { _mm_loadu_ps((raw + index * 4).assumingMemoryBound(to: Float.self)) }
            let hundred = _mm_set1_ps(100), scale = _mm_set1_ps(255)
            var total = _mm_setzero_si128()
            func add(_ a: __m128, _ b: __m128) {
                let d = _mm_cvttps_epi32(_mm_div_ps(_mm_mul_ps(_mm_sub_ps(a, b), hundred), scale))
                let sign = _mm_srai_epi32(d, 31)
                total = _mm_add_epi32(total, _mm_sub_epi32(_mm_xor_si128(d, sign), sign))
            }
            for i in 0..<63 {
                for j in stride(from: 0, to: 64, by: 4) { add(load(i * 64 + j), load((i + 1) * 64 + j)) }
            }
            for i in 0..<64 {
                for j in stride(from: 0, to: 60, by: 4) { add(load(i * 64 + j), load(i * 64 + j + 1)) }
                for j in 60..<63 { sum += abs(Int((p[i * 64 + j] - p[i * 64 + j + 1]) * 100 / 255)) }
            }
            sum += Int(unsafeBitCast(total, to: SIMD4<Int32>.self).wrappedSum())
            #else
            for i in 0..<63 {
                for j in 0..<64 {
                    let d = Int((p[i * 64 + j] - p[(i + 1) * 64 + j]) * 100 / 255)
                    sum += abs(d)
                }
            }
            for i in 0..<64 {
                for j in 0..<63 {
                    let d = Int((p[i * 64 + j] - p[i * 64 + j + 1]) * 100 / 255)
                    sum += abs(d)
                }
            }
            #endif
        }
        return min(sum / 90, 100)
    }

    /// Reference `dct64To16`: B = D A D^T with the same summation order.
    static func dct(_ a: [Float]) -> [Float] {
        var t = [Float](repeating: 0, count: 16 * 64)
        var b = [Float](repeating: 0, count: 16 * 16)
        DCTTables.pdq16x64.withUnsafeBufferPointer { d in
            a.withUnsafeBufferPointer { pa in
                t.withUnsafeMutableBufferPointer { pt in
                    // Row-wise so the inner loop runs along contiguous memory; each T[i][j] still adds its 64
                    // terms in the reference's order (k = 0...63), so the sums are bit-identical.
                    for i in 0..<16 {
                        let row = pt.baseAddress! + i * 64
                        for k in 0..<64 {
                            let w = d[i * 64 + k]
                            let line = pa.baseAddress! + k * 64
                            for j in 0..<64 { row[j] += w * line[j] }
                        }
                    }
                }
            }
            t.withUnsafeBufferPointer { pt in
                DCTTables.pdq64x16.withUnsafeBufferPointer { dt in
                    b.withUnsafeMutableBytes { pb in
                        // Sixteen j at once; each B[i][j] still adds its 64 terms in k order from zero, as the
                        // reference does, so the values are bit-identical.
                        for i in 0..<16 {
                            var s = SIMD16<Float>()
                            for k in 0..<64 { s += SIMD16(repeating: pt[i * 64 + k]) * dt[k] }
                            pb.storeBytes(of: s, toByteOffset: i * 64, as: SIMD16<Float>.self)
                        }
                    }
                }
            }
        }
        return b
    }

    /// Bits above the reference's Torben median (the lower middle value of 256).
    static func bits(_ values: [Float]) -> PDQHash {
        values.withUnsafeBufferPointer { v in
            let median = OrderStatistic.select(v, 127)
            /// Bits `first ..< first + 64`, the lowest in bit 0 (without branches: each is as likely as not).
            func word(_ first: Int) -> UInt64 {
                var word: UInt64 = 0
                for k in 0..<64 { word |= UInt64(unsafeBitCast(v[first + k] > median, to: UInt8.self)) << UInt64(k) }
                return word
            }
            return PDQHash(word(0), word(64), word(128), word(192))
        }
    }

    /// PDQ hash and quality of the plane and of its left-right mirror (horizontal frequencies j + 1 odd,
    /// i.e. even j, change sign under a mirror; quality is unchanged).
    /// - Parameter exact: run the reference's box passes literally (bit-exact on the same luma); otherwise the
    /// faster separable sampler, which also emulates the full-size filter on DCT-scaled planes.
    static func hash(_ plane: GrayPlane, exact: Bool = false) -> (hash: PDQHash, mirrored: PDQHash, quality: Int) {
        guard plane.width >= minimumSide, plane.height >= minimumSide else {
            let zero = PDQHash(0, 0, 0, 0)
            return (zero, zero, 0)
        }
        let small = exact ? downsample(plane.lumaValues, rows: plane.height, cols: plane.width) : downsampleFast(plane)
        let quality = quality(small)
        var coefficients = dct(small)
        let hash = bits(coefficients)
        for i in 0..<16 { for j in stride(from: 0, to: 16, by: 2) { coefficients[i * 16 + j] = -coefficients[i * 16 + j] } }
        return (hash, bits(coefficients), quality)
    }
}
