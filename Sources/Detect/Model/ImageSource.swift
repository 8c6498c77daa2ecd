import Foundation

/// Where a sample's image bytes come from.
public enum ImageSource: Sendable, Hashable {
    /// A local file, already resolved and checked to lie inside the input folder.
    case file(URL)
    /// Bytes read from a container (a webdataset tar member).
    case bytes(Data)
    /// No image can be read; the reason is also reported as an `InputProblem`.
    case missing(ProblemKind)

    /// Whether there are image bytes to read: a file, or container bytes that were read (a second pass leaves the
    /// tar members it skips as empty bytes).
    public var isReadable: Bool {
        switch self {
        case .file: true
        case .bytes(let data): !data.isEmpty
        case .missing: false
        }
    }

    /// The image's bytes: the file read whole, or the bytes held; nil when there is nothing to read.
    public func data() -> Data? {
        guard isReadable else { return nil }
        switch self {
        case .file(let url): return try? Data(contentsOf: url)
        case .bytes(let data): return data
        case .missing: return nil
        }
    }
}
