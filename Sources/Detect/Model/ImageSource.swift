import Foundation

/// Where a sample's image bytes come from.
public enum ImageSource: Sendable, Hashable {
    /// A local file, already resolved and checked to lie inside the input folder.
    case file(URL)
    /// Bytes read from a container (a webdataset tar member).
    case bytes(Data)
    /// No image can be read; the reason is also reported as an `InputProblem`.
    case missing(ProblemKind)
}
