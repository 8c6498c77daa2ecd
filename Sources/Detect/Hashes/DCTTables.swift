import Foundation

/// DCT-II basis rows, computed once.
enum DCTTables {
    /// imagehash's pHash: the first 8 unnormalized DCT-II rows of length 32, `cos(pi k (2n + 1) / 64)`.
    /// scipy's factor 2 is left out: it scales every coefficient alike, so the median test is unchanged.
    static let phash8x32: [Float] = {
        var m = [Float](repeating: 0, count: 8 * 32)
        for k in 0..<8 {
            for n in 0..<32 {
                m[k * 32 + n] = Float(cos(Double.pi * Double(k) * Double(2 * n + 1) / 64.0))
            }
        }
        return m
    }()

    /// `phash8x32` transposed, one SIMD row of the 8 frequencies per input position.
    static let phash32x8: [SIMD8<Float>] = (0..<32).map { n in
        SIMD8<Float>((0..<8).map { k in phash8x32[k * 32 + n] })
    }

    /// PDQ's 16x64 matrix: rows for frequencies 1...16 (DC skipped), scaled by sqrt(2/64) as the reference does
    /// (a Float scale times a Double cosine, stored as Float).
    static let pdq16x64: [Float] = {
        let scale = Double(Float(sqrt(2.0 / 64.0)))
        var m = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                m[i * 64 + j] = Float(scale * cos((Double.pi / 2.0 / 64.0) * Double(i + 1) * Double(2 * j + 1)))
            }
        }
        return m
    }()

    /// `pdq16x64` transposed, one SIMD row of the 16 frequencies per input position.
    static let pdq64x16: [SIMD16<Float>] = (0..<64).map { k in
        SIMD16<Float>((0..<16).map { j in pdq16x64[j * 64 + k] })
    }
}
