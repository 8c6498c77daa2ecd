/// Which fields of a record hold the key, the image reference and the caption.
public struct FieldRoles: Sendable, Hashable {
    public var key: String?
    public var image: String?
    public var caption: String?

    public init(key: String? = nil, image: String? = nil, caption: String? = nil) {
        self.key = key
        self.image = image
        self.caption = caption
    }
}

extension FieldNames {
    /// The fields of `record` that play each role: the override when one is given, else the first alias
    /// present. For the image, an alias holding a local path wins over an earlier one holding a URL
    /// (a manifest with both `url` and `file_name` reads the local file).
    ///
    /// Writers use this to find the caption field to rewrite in a record read by a `SampleReader`.
    public func roles(in record: Record) -> FieldRoles {
        FieldRoles(
            key: index(of: key, aliases: Self.keyAliases, in: record).map { record.fields[$0].name },
            image: imageIndex(in: record).map { record.fields[$0].name },
            caption: index(of: caption, aliases: Self.captionAliases, in: record).map { record.fields[$0].name }
        )
    }

    func index(of override: String?, aliases: [String], in record: Record) -> Int? {
        if let override { return record.fields.firstIndex { $0.name == override } }
        for alias in aliases {
            if let found = record.fields.firstIndex(where: { $0.name == alias }) { return found }
        }
        return nil
    }

    func imageIndex(in record: Record) -> Int? {
        Self.imageIndex(candidates: imageCandidates(in: record), in: record)
    }

    /// Indices of the fields that may hold the image: the override's, or every alias present in alias order.
    func imageCandidates(in record: Record) -> [Int] {
        if let image { return record.fields.firstIndex { $0.name == image }.map { [$0] } ?? [] }
        return Self.imageAliases.compactMap { alias in record.fields.firstIndex { $0.name == alias } }
    }

    /// The first candidate holding a local path, else the first candidate.
    static func imageIndex(candidates: [Int], in record: Record) -> Int? {
        guard candidates.count > 1 else { return candidates.first }
        for index in candidates {
            let value = FieldValue(record.fields[index].value, encoding: record.encoding)
            if case .text(let text, _) = value, !text.isEmpty, ImagePathResolver.urlScheme(of: text) == nil { return index }
        }
        return candidates.first
    }
}

/// A field's value as the readers interpret it.
enum FieldValue: Equatable {
    /// A string (or, in JSON, a number's source text); `lossy` when decoding replaced something with U+FFFD.
    case text(String, lossy: Bool)
    /// JSON `null`.
    case null
    /// A JSON object, array or boolean where a string was wanted.
    case other

    init(_ value: String, encoding: Record.Encoding) {
        guard encoding == .json else {
            self = .text(value, lossy: false)
            return
        }
        switch value.utf8.first ?? 0 {
        case UInt8(ascii: "\""):
            if let (text, lossy) = JSONString.decodeLiteral(value) { self = .text(text, lossy: lossy) } else { self = .other }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): self = .text(value, lossy: false)
        case UInt8(ascii: "n"): self = .null
        default: self = .other
        }
    }
}
