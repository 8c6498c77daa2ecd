/// One image–caption pair read from an input, with every other field kept for the writer.
public struct Sample: Sendable, Hashable {
    /// Position in input order, 0-based, across all inputs of a run.
    public var ordinal: Int
    /// Unique key: the manifest's key field, the webdataset key, the file stem, or the line number; `KEY~2` (`~3`,
    /// …) for a later sample whose key an earlier one has.
    public var key: String
    /// The key as the input gave it, when `key` had to be renamed apart (nil otherwise).
    public var inputKey: String?
    /// The image reference as written in the input (a relative path, URL or member name); nil when absent.
    public var image: String?
    /// The caption text (may be empty).
    public var caption: String
    /// Where the sample came from, for messages and for writing the manifest back.
    public var origin: SampleOrigin
    /// The original record, all fields in input order, for pass-through.
    public var record: Record

    public init(ordinal: Int, key: String, image: String?, caption: String, origin: SampleOrigin, record: Record) {
        self.ordinal = ordinal
        self.key = key
        self.image = image
        self.caption = caption
        self.origin = origin
        self.record = record
    }
}

/// The file and position a sample or a problem was read from.
public struct SampleOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The input file (manifest, shard or caption file) as the user named it.
    public var file: String
    /// 1-based line number in a text manifest, when there is one.
    public var line: Int?
    /// Member name inside a tar shard, when there is one.
    public var member: String?

    public init(file: String, line: Int? = nil, member: String? = nil) {
        self.file = file
        self.line = line
        self.member = member
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let member { text += " [\(member)]" }
        return text
    }
}
