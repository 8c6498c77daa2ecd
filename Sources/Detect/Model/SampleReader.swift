/// What a reader yields: a sample with its image source, or a problem it found and skipped past.
public enum ReaderItem: Sendable {
    case sample(Sample, ImageSource)
    case problem(InputProblem)
}

/// A streaming source of samples. Memory does not grow with the number of rows read.
public protocol SampleReader {
    /// The next sample or problem, or nil at the end. Throws only when the input as a whole cannot be read.
    mutating func next() throws -> ReaderItem?
}

/// User overrides for the manifest's field names (`--key-field`, `--image-field`, `--caption-field`).
public struct FieldNames: Sendable, Hashable {
    public var key: String?
    public var image: String?
    public var caption: String?

    public init(key: String? = nil, image: String? = nil, caption: String? = nil) {
        self.key = key
        self.image = image
        self.caption = caption
    }

    /// Aliases tried in order when no override is given (DESIGN.md, Inputs), in any letter case (`URL`, `TEXT`,
    /// `Caption`), as overrides are.
    public static let keyAliases = ["key", "id", "__key__"]
    public static let imageAliases = ["image", "url", "file_name", "path", "image_path", "filepath"]
    public static let captionAliases = ["caption", "text", "prompt"]
}
