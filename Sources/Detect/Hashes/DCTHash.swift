/// imagehash's `phash` (8x8 low frequencies of a 32x32 DCT, bit = coefficient > median) and `dhash`
/// (9x8 resize, bit = right neighbour brighter), on Pillow-exact resized luma.
///
/// Bit order is imagehash's: the boolean array read row by row, first element in the highest bit,
/// so `hex64(value)` equals `str(imagehash.phash(img))`.
enum DCTHash {
    /// The 8x8 low-frequency DCT block of a 32x32 gray image, row-major.
    static func coefficients(luma32x32 pixels: [UInt8]) -> [Float] {
        precondition(pixels.count == 32 * 32)
        var values = [Float](repeating: 0, count: 32 * 32)
        var rows = [Float](repeating: 0, count: 8 * 32)
        var out = [Float](repeating: 0, count: 64)
        DCTTables.phash8x32.withUnsafeBufferPointer { c in
            pixels.withUnsafeBufferPointer { p in
                values.withUnsafeMutableBufferPointer { f in
                    for i in 0..<1024 { f[i] = Float(p[i]) }
                }
            }
            values.withUnsafeBufferPointer { f in
                rows.withUnsafeMutableBufferPointer { t in
                    // T = C * P (DCT along axis 0, as scipy does first): each T[k][x] adds its 32 terms in y order.
                    for y in 0..<32 {
                        let line = f.baseAddress! + y * 32
                        for k in 0..<8 {
                            let w = c[k * 32 + y]
                            let row = t.baseAddress! + k * 32
                            for x in 0..<32 { row[x] += w * line[x] }
                        }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { t in
            DCTTables.phash32x8.withUnsafeBufferPointer { ct in
                out.withUnsafeMutableBytes { o in
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
        return out
    }

    /// Bits above numpy's median (mean of the two middle values), first coefficient in bit 63.
    static func bits(_ values: [Float]) -> UInt64 {
        var scratch = values
        let lower = OrderStatistic.select(&scratch, 31)
        // After selection everything from index 32 on is at least `lower`: the upper middle is their minimum.
        let upper = scratch[32...].min()!
        let median = (lower + upper) / 2
        var hash: UInt64 = 0
        for i in 0..<64 where values[i] > median { hash |= 1 << UInt64(63 - i) }
        return hash
    }

    /// The pHash of the image and of its left-right mirror. Mirroring a row negates its odd DCT frequencies,
    /// so the mirror's hash comes from the same coefficients.
    /// - Parameter exact: resize with Pillow's exact weights; otherwise with `LanczosResampler.fastResize`.
    static func phash(_ plane: GrayPlane, exact: Bool = true) -> (hash: UInt64, mirrored: UInt64) {
        let small = resize(plane, outWidth: 32, outHeight: 32, exact: exact)
        var f = coefficients(luma32x32: small)
        let hash = bits(f)
        for k in 0..<8 { for v in stride(from: 1, to: 8, by: 2) { f[k * 8 + v] = -f[k * 8 + v] } }
        return (hash, bits(f))
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
