extension FieldNames {
    /// The fields of `record` that play each role: the override when one is given, else the first alias
    /// present, names matched in any letter case (see ``position(of:aliases:in:)``). For the image, an alias holding a
    /// local path wins over an earlier one holding a URL (a manifest with both `url` and `file_name` reads the local
    /// file).
    ///
    /// Writers use this to find the caption field to rewrite in a record read by a `SampleReader`.
    public func roles(in record: Record) -> FieldRoles {
        FieldRoles(
            key: index(of: key, aliases: Self.keyAliases, in: record).map { record.fields[$0].name },
            image: imageIndex(in: record).map { record.fields[$0].name },
            caption: index(of: caption, aliases: Self.captionAliases, in: record).map { record.fields[$0].name }
        )
    }

    /// The name among `names` (a manifest's columns) that the readers take captions from, if any.
    public func captionName(in names: [String]) -> String? {
        Self.position(of: caption, aliases: Self.captionAliases, in: names).map { names[$0] }
    }

    /// What the readers look for as the image field, for messages: the override, or the aliases.
    public var lookedForImage: String {
        image.map { "\"\($0)\"" } ?? Self.imageAliases.joined(separator: ", ") + " in any case"
    }

    /// Where among `names` the override is, or else the first alias present. A name written as given wins; failing
    /// that, one that differs only in letter case (`Caption`, `IMAGE`, `Url`), so a header's capitals do not hide
    /// its columns, in CSV and JSONL alike.
    static func position<Names: Collection<String>>(of override: String?, aliases: [String], in names: Names)
        -> Names.Index?
    {
        for wanted in override.map({ [$0] }) ?? aliases {
            if let found = names.firstIndex(of: wanted) { return found }
            let folded = wanted.lowercased()
            if let found = names.firstIndex(where: { $0.lowercased() == folded }) { return found }
        }
        return nil
    }

    func index(of override: String?, aliases: [String], in record: Record) -> Int? {
        Self.position(of: override, aliases: aliases, in: record.fields.lazy.map(\.name))
    }

    func imageIndex(in record: Record) -> Int? {
        Self.imageIndex(candidates: imageCandidates(in: record), in: record)
    }

    /// Indices of the fields that may hold the image: the override's, or every alias present in alias order.
    func imageCandidates(in record: Record) -> [Int] {
        let names = record.fields.lazy.map(\.name)
        if let image { return Self.position(of: image, aliases: [], in: names).map { [$0] } ?? [] }
        var found: [Int] = []
        for alias in Self.imageAliases {
            guard let index = Self.position(of: alias, aliases: [], in: names), !found.contains(index) else { continue }
            found.append(index)
        }
        return found
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
