/// imagehash's `phash` (8x8 low frequencies of a 32x32 DCT, bit = coefficient > median) and `dhash`
/// (9x8 resize, bit = right neighbour brighter), on Pillow-exact resized luma.
///
/// Bit order is imagehash's: the boolean array read row by row, first element in the highest bit,
/// so `hex64(value)` equals `str(imagehash.phash(img))`.
enum DCTHash {
    /// The 8x8 low-frequency DCT block of a 32x32 gray image, row-major.
    static func coefficients(luma32x32 pixels: [UInt8]) -> [Float] {
        precondition(pixels.count == 32 * 32)
        var rows = [Float](repeating: 0, count: 8 * 32)
        var out = [Float](repeating: 0, count: 64)
        DCTTables.phash8x32.withUnsafeBufferPointer { c in
            pixels.withUnsafeBufferPointer { p in
                rows.withUnsafeMutableBufferPointer { t in
                    // T = C * P (DCT along axis 0, as scipy does first).
                    for k in 0..<8 {
                        for y in 0..<32 {
                            let w = c[k * 32 + y]
                            let line = y * 32
                            for x in 0..<32 { t[k * 32 + x] += w * Float(p[line + x]) }
                        }
                    }
                }
            }
            rows.withUnsafeBufferPointer { t in
                out.withUnsafeMutableBufferPointer { f in
                    // F = T * C^T (then along axis 1).
                    for k in 0..<8 {
                        for v in 0..<8 {
                            var s: Float = 0
                            for x in 0..<32 { s += t[k * 32 + x] * c[v * 32 + x] }
                            f[k * 8 + v] = s
                        }
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
    static func phash(_ plane: GrayPlane) -> (hash: UInt64, mirrored: UInt64) {
        let small = LanczosResampler.resize(plane.gray, width: plane.width, height: plane.height, outWidth: 32, outHeight: 32)
        var f = coefficients(luma32x32: small)
        let hash = bits(f)
        for k in 0..<8 { for v in stride(from: 1, to: 8, by: 2) { f[k * 8 + v] = -f[k * 8 + v] } }
        return (hash, bits(f))
    }

    /// The dHash of the image and of its left-right mirror (in the mirror, left and right swap).
    static func dhash(_ plane: GrayPlane) -> (hash: UInt64, mirrored: UInt64) {
        let p = LanczosResampler.resize(plane.gray, width: plane.width, height: plane.height, outWidth: 9, outHeight: 8)
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
}
