internal import CResample

/// imagehash's `phash` (8x8 low frequencies of a 32x32 DCT, bit = coefficient > median) and `dhash`
/// (9x8 resize, bit = right neighbour brighter), on Pillow-exact resized luma.
///
/// Bit order is imagehash's: the boolean array read row by row, first element in the highest bit,
/// so `hex64(value)` equals `str(imagehash.phash(img))`.
enum DCTHash {
    /// The 8x8 low-frequency DCT block of a 32x32 gray image, row-major.
    static func coefficients(luma32x32 pixels: [UInt8]) -> [Float] {
        precondition(pixels.count == 32 * 32)
        return [Float](unsafeUninitializedCapacity: 64) { out, initialized in
            pixels.withUnsafeBufferPointer { coefficients(luma32x32: $0.baseAddress!, into: out.baseAddress!) }
            initialized = 64
        }
    }

    /// `coefficients(luma32x32:)` from 1024 bytes into 64 Floats, with no heap allocation (the crop views call it
    /// some forty times per image). Runs `curate_phash_coefficients_avx2` where the CPU has AVX2 (eight lanes
    /// instead of baseline x86-64's four, the partial sums in registers): the same sums in the same order, so the
    /// same bits (`allowAVX2: false` lets tests compare).
    static func coefficients(
        luma32x32 p: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>, allowAVX2: Bool = true
    ) {
        if allowAVX2, DCTTables.phash8x32.withUnsafeBufferPointer({ c in
            DCTTables.phash32x8.withUnsafeBytes { ct in
                curate_phash_coefficients_avx2(p, c.baseAddress, ct.baseAddress!.assumingMemoryBound(to: Float.self), out)
            }
        }) {
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 8 * 32) { rows in
            let t = rows.baseAddress!
            t.initialize(repeating: 0, count: 8 * 32)
            DCTTables.phash8x32.withUnsafeBufferPointer { c in
                // T = C * P (DCT along axis 0, as scipy does first): each T[k][x] adds its 32 terms in y order.
                // Each pixel row is converted to Float once, then added into the eight rows of T. Four SIMD8 lanes
                // rather than one SIMD32: written as SIMD32 the same sums made feature extraction 4x slower.
                let rowsRaw = UnsafeMutableRawPointer(t)
                for y in 0..<32 {
                    let line = UnsafeRawPointer(p + y * 32)
                    var pixels = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    pixels.0 = SIMD8<Float>(line.loadUnaligned(fromByteOffset: 0, as: SIMD8<UInt8>.self))
                    pixels.1 = SIMD8<Float>(line.loadUnaligned(fromByteOffset: 8, as: SIMD8<UInt8>.self))
                    pixels.2 = SIMD8<Float>(line.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt8>.self))
                    pixels.3 = SIMD8<Float>(line.loadUnaligned(fromByteOffset: 24, as: SIMD8<UInt8>.self))
                    for k in 0..<8 {
                        let w = SIMD8<Float>(repeating: c[k * 32 + y])
                        let row = rowsRaw + k * 128
                        row.storeBytes(of: row.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self) + w * pixels.0, toByteOffset: 0, as: SIMD8<Float>.self)
                        row.storeBytes(of: row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + w * pixels.1, toByteOffset: 32, as: SIMD8<Float>.self)
                        row.storeBytes(of: row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self) + w * pixels.2, toByteOffset: 64, as: SIMD8<Float>.self)
                        row.storeBytes(of: row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self) + w * pixels.3, toByteOffset: 96, as: SIMD8<Float>.self)
                    }
                }
            }
            DCTTables.phash32x8.withUnsafeBufferPointer { ct in
                let o = UnsafeMutableRawPointer(out)
                // F = T * C^T (then along axis 1), eight frequencies v at once; each F[k][v] still adds its
                // 32 terms in x order from zero, so the values equal the scalar loop's bit for bit.
                for k in 0..<8 {
                    var s = SIMD8<Float>()
                    for x in 0..<32 { s += SIMD8(repeating: t[k * 32 + x]) * ct[x] }
                    o.storeBytes(of: s, toByteOffset: k * 32, as: SIMD8<Float>.self)
                }
            }
        }
    }

    /// Bits above numpy's median (mean of the two middle values), first coefficient in bit 63.
    static func bits(_ values: [Float]) -> UInt64 {
        values.withUnsafeBufferPointer { bits($0.baseAddress!) }
    }

    /// `bits(_:)` of 64 Floats, with no heap allocation.
    static func bits(_ values: UnsafePointer<Float>) -> UInt64 {
        let middle = OrderStatistic.middlePair(of64: values)
        let median = (middle.lower + middle.upper) / 2
        // Eight coefficients at a time: their comparisons' lanes (all ones when true) pick each lane's bit.
        let raw = UnsafeRawPointer(values)
        let lanes = SIMD8<Int32>(128, 64, 32, 16, 8, 4, 2, 1)
        var hash: UInt64 = 0
        for block in 0..<8 {
            let above = raw.loadUnaligned(fromByteOffset: block * 32, as: SIMD8<Float>.self) .> median
            hash |= UInt64((unsafeBitCast(above, to: SIMD8<Int32>.self) & lanes).wrappedSum()) << UInt64(56 - 8 * block)
        }
        return hash
    }

    /// The pHash of the image, of its left-right mirror, and, when `orientations` is set, of five other
    /// orientations (see `orientations(_:)`; empty otherwise), all from one set of coefficients: mirroring a row
    /// negates its odd DCT frequencies.
    /// - Parameter exact: resize with Pillow's exact weights; otherwise with `LanczosResampler.fastResize`.
    static func phash(
        _ plane: GrayPlane, exact: Bool = true, orientations: Bool = false
    ) -> (hash: UInt64, mirrored: UInt64, orientations: [UInt64]) {
        let small = resize(plane, outWidth: 32, outHeight: 32, exact: exact)
        let f = coefficients(luma32x32: small)
        let mirrored = bits(oriented(f, transposed: false, negatedRows: false, negatedColumns: true))
        return (bits(f), mirrored, orientations ? Self.orientations(f) : [])
    }

    /// The pHashes of an image turned by 90° clockwise or 180°, or mirrored top to bottom or about either diagonal (in
    /// that order: top–bottom, 180°, main diagonal, 90° clockwise, anti-diagonal), from its 8x8 coefficients `f` (row
    /// `u` the vertical frequency). Turning the 32x32 image permutes and negates them: transposing swaps `u` and `v`,
    /// flipping top to bottom negates odd `u`, left to right odd `v`. A copy whose EXIF orientation was lost, or that
    /// was turned on its side, has one of these as its own pHash; a copy turned 90° counter-clockwise is found from
    /// its side, the original being that copy turned 90° clockwise.
    static func orientations(_ f: [Float]) -> [UInt64] {
        [(false, true, false), (false, true, true), (true, false, false), (true, false, true), (true, true, true)]
            .map { bits(oriented(f, transposed: $0.0, negatedRows: $0.1, negatedColumns: $0.2)) }
    }

    /// The coefficients of the image transposed (first), then with odd rows and/or odd columns negated.
    private static func oriented(_ f: [Float], transposed: Bool, negatedRows: Bool, negatedColumns: Bool) -> [Float] {
        var g = [Float](repeating: 0, count: 64)
        for u in 0..<8 {
            for v in 0..<8 {
                let value = transposed ? f[v * 8 + u] : f[u * 8 + v]
                let negated = (negatedRows && u % 2 == 1) != (negatedColumns && v % 2 == 1)
                g[u * 8 + v] = negated ? -value : value
            }
        }
        return g
    }

    /// The dHash of the image and of its left-right mirror (in the mirror, left and right swap).
    static func dhash(_ plane: GrayPlane, exact: Bool = true) -> (hash: UInt64, mirrored: UInt64) {
        let p = resize(plane, outWidth: 9, outHeight: 8, exact: exact)
        var hash: UInt64 = 0, mirrored: UInt64 = 0
        for r in 0..<8 {
            for c in 0..<8 {
                let bit = UInt64(63 - (r * 8 + c))
                if p[r * 9 + c + 1] > p[r * 9 + c] { hash |= 1 << bit }
                // Mirrored row m[c] = p[8 - c]: bit c is m[c + 1] > m[c], i.e. p[7 - c] > p[8 - c].
                if p[r * 9 + 7 - c] > p[r * 9 + 8 - c] { mirrored |= 1 << bit }
            }
        }
        return (hash, mirrored)
    }

    /// The plane's 8-bit luma resized by Pillow's exact Lanczos or by the 14-bit variant.
    static func resize(_ plane: GrayPlane, outWidth: Int, outHeight: Int, exact: Bool) -> [UInt8] {
        if exact {
            return LanczosResampler.resize(plane.gray, width: plane.width, height: plane.height, outWidth: outWidth, outHeight: outHeight)
        }
        return LanczosResampler.fastResize(
            plane.gray, stride: plane.width, x: 0, y: 0, width: plane.width, height: plane.height,
            outWidth: outWidth, outHeight: outHeight)
    }
}
