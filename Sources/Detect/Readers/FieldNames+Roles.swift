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
            if case .text(let text, _) = value, !text.isEmpty, ImagePathResolver.urlScheme(of: text) == nil {
                return index
            }
        }
        return candidates.first
    }
}
