/// Why an embedding file or folder could not be used. Carries the path so the message is actionable.
public struct EmbeddingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The file could not be opened or mapped (`errno` value).
        case unreadable(errno: Int32)
        /// The file does not start with the `.npy` magic bytes.
        case notNPY
        /// An `.npy` format version other than 1, 2 or 3.
        case unsupportedVersion(major: Int, minor: Int)
        /// The header dictionary is missing, cut short or unparseable.
        case malformedHeader(String)
        /// A dtype other than little-endian float16 (`<f2`) or float32 (`<f4`).
        case unsupportedDType(String)
        /// `fortran_order: True`: only C-order (row-major) arrays are read.
        case fortranOrder
        /// The array is not two-dimensional `[N, D]`.
        case notTwoDimensional(shape: [Int])
        /// The header claims more data than the file holds.
        case truncated(expectedBytes: Int, actualBytes: Int)
        /// A shard's row width differs from the first shard's.
        case dimensionMismatch(expected: Int, actual: Int)
        /// The folder holds no `.npy` file.
        case emptyFolder
        /// The number of embedding rows differs from the number of samples.
        case countMismatch(samples: Int, embeddings: Int)
    }

    public var kind: Kind
    /// The file or folder the problem is in.
    public var path: String

    public init(_ kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    public var description: String {
        switch kind {
        case .unreadable(let code):
            return "\(path): cannot read embeddings (errno \(code))"
        case .notNPY:
            return "\(path): not a .npy file (missing the \\x93NUMPY magic)"
        case .unsupportedVersion(let major, let minor):
            return "\(path): unsupported .npy format version \(major).\(minor) (1.0, 2.0 and 3.0 are read)"
        case .malformedHeader(let why):
            return "\(path): malformed .npy header: \(why)"
        case .unsupportedDType(let descr):
            return "\(path): unsupported dtype '\(descr)'; save embeddings as float16 ('<f2') or float32 ('<f4')"
        case .fortranOrder:
            return "\(path): array is in Fortran order; save it with np.ascontiguousarray(...) (C order)"
        case .notTwoDimensional(let shape):
            return "\(path): expected a 2-D array [N, D], found shape \(shape)"
        case .truncated(let expected, let actual):
            return "\(path): truncated: the header promises \(expected) bytes but the file has \(actual)"
        case .dimensionMismatch(let expected, let actual):
            return "\(path): embedding width \(actual) differs from the first shard's \(expected)"
        case .emptyFolder:
            return "\(path): folder holds no .npy embedding shards"
        case .countMismatch(let samples, let embeddings):
            return "\(path): \(embeddings) embedding rows for \(samples) samples; row i must be sample i in input order"
        }
    }
}
