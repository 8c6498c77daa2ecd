import Foundation

/// Dot products of embedding rows through OpenBLAS's `cblas_sgemm`, loaded the first time one is needed.
///
/// Linked at build time, OpenBLAS started a thread per core when the process started and kept them spinning on
/// `sched_yield` for a while, whether or not the run had embeddings: about 0.1 CPU s per process, a core taken
/// from the scan's workers while it lasted. Loaded on demand with `OPENBLAS_NUM_THREADS=1`, it starts no
/// threads at all: the searches split their work into blocks on their own threads and want one BLAS thread per
/// call anyway. Without the library (not installed), a plain Swift loop computes the same products, slowly.
enum BLAS {
    private typealias SGEMM = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
        Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
    private typealias Config = @convention(c) () -> UnsafePointer<CChar>?

    private struct Library: @unchecked Sendable {
        var sgemm: SGEMM?
        var config: String?
    }

    private static let library: Library = {
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        for name in ["libopenblas.so.0", "libopenblas.so"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            let sgemm = dlsym(handle, "cblas_sgemm").map { unsafeBitCast($0, to: SGEMM.self) }
            let config = dlsym(handle, "openblas_get_config").map { unsafeBitCast($0, to: Config.self) }
            return Library(sgemm: sgemm, config: config?().map { String(cString: $0) })
        }
        return Library()
    }()

    /// OpenBLAS's build configuration, or a note that the library could not be loaded.
    static var configuration: String { library.config ?? "not loaded (plain Swift products)" }

    /// `c[i * ldc + j] = Σₓ a[i * lda + x] · b[j * ldb + x]` for i < m, j < n, x < k: every row of A against every
    /// row of B (C = A·Bᵀ, row-major), as `cblas_sgemm(RowMajor, NoTrans, Trans, m, n, k, 1, a, lda, b, ldb, 0,
    /// c, ldc)`.
    static func multiplyTransposed(
        m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if let sgemm = library.sgemm {
            // CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112 (cblas.h).
            sgemm(101, 111, 112, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
            return
        }
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for x in 0..<k { sum += a[i * lda + x] * b[j * ldb + x] }
                c[i * ldc + j] = sum
            }
        }
    }
}
