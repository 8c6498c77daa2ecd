@testable import Detect
import Testing

@Suite struct BLASTests {
    @Test("OpenBLAS loads on demand, and A·Bᵀ with row strides equals the plain sums")
    func productsMatch() {
        #expect(!BLAS.configuration.hasPrefix("not loaded"), "apt-get install libopenblas0 (or libopenblas-dev)")
        let m = 3, n = 4, k = 5, lda = 7, ldb = 6, ldc = 9
        let a = (0..<(m * lda)).map { Float(($0 * 37) % 11) - 5 }
        let b = (0..<(n * ldb)).map { Float(($0 * 17) % 13) / 4 - 1.5 }
        var c = [Float](repeating: .nan, count: m * ldc)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLAS.multiplyTransposed(
                        m: m, n: n, k: k, a.baseAddress!, lda: lda, b.baseAddress!, ldb: ldb, into: c.baseAddress!,
                        ldc: ldc)
                }
            }
        }
        for i in 0..<m {
            for j in 0..<n {
                let expected = (0..<k).reduce(Float(0)) { $0 + a[i * lda + $1] * b[j * ldb + $1] }
                #expect(abs(c[i * ldc + j] - expected) < 1e-4, "c[\(i)][\(j)]")
            }
            // Columns past n are the caller's: untouched.
            #expect(c[i * ldc + n].isNaN)
        }
    }
}
