/// What went wrong with one piece of input. Raw values are the names used in `stats.json` and `--json` output.
public enum ProblemKind: String, Sendable, Hashable, CaseIterable, Codable {
    case malformedLine = "malformed_line"
    case invalidUTF8 = "invalid_utf8"
    case duplicateKey = "duplicate_key"
    case missingField = "missing_field"
    case missingImage = "missing_image"
    case remoteImage = "remote_image"
    case pathEscape = "path_escape"
    case emptyImage = "empty_image"
    case truncatedImage = "truncated_image"
    case corruptImage = "corrupt_image"
    case unsupportedFormat = "unsupported_format"
    case oversizedImage = "oversized_image"
    case unsafeMember = "unsafe_member"
    case orphanMember = "orphan_member"
    case embeddingMismatch = "embedding_mismatch"
    case invalidEmbedding = "invalid_embedding"
    case malformedObjects = "malformed_objects"
    /// Objects-file lines whose key no sample has (one problem for all of them).
    case unknownObjectKey = "unknown_object_key"
    /// A weight field that is not a finite number ≥ 0 (the sample then weighs 1).
    case invalidWeight = "invalid_weight"
    case unreadableFile = "unreadable_file"
}

/// A problem found in the input, reported with file and line or key; the run goes on.
public struct InputProblem: Sendable, Hashable, CustomStringConvertible {
    public var kind: ProblemKind
    public var origin: SampleOrigin
    /// The sample key, when the problem belongs to a sample.
    public var key: String?
    public var message: String

    public init(_ kind: ProblemKind, at origin: SampleOrigin, key: String? = nil, _ message: String) {
        self.kind = kind
        self.origin = origin
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = "\(origin)"
        if let key { text += " (key \(key))" }
        return "\(text): \(kind.rawValue): \(message)"
    }
}
