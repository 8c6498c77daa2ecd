/// Turns one record into a sample: picks the key, image and caption fields, resolves the image, and lists
/// the problems found on the way. Shared by the manifest readers so every format follows the same rules.
struct SampleAssembler {
    let fields: FieldNames
    let resolver: ImagePathResolver

    /// The sample, its image source, and the problems that belong to it (reported after the sample).
    func assemble(
        record: Record, origin: SampleOrigin, fallbackKey: String, ordinal: Int, lossyFields: [String]
    ) -> (Sample, ImageSource, [InputProblem]) {
        var problems: [(ProblemKind, String)] = []
        var lossy = lossyFields

        var key = fallbackKey
        if let index = fields.index(of: fields.key, aliases: FieldNames.keyAliases, in: record) {
            let field = record.fields[index]
            switch FieldValue(field.value, encoding: record.encoding) {
            case .text(let text, let wasLossy) where !text.isEmpty:
                key = text
                if wasLossy, !lossy.contains(field.name) { lossy.append(field.name) }
            case .text, .null:
                break
            case .other:
                problems.append((.missingField, "key field \"\(field.name)\" is not a string or number; using the line number"))
            }
        } else if let name = fields.key {
            problems.append((.missingField, "no key field \"\(name)\"; using the line number"))
        }

        var image: String?
        var source = ImageSource.missing(.missingField)
        if let index = fields.imageIndex(in: record) {
            let field = record.fields[index]
            switch FieldValue(field.value, encoding: record.encoding) {
            case .text(let text, _):
                image = text
                switch resolver.resolve(text) {
                case .success(let url): source = .file(url)
                case .failure(let failure):
                    source = .missing(failure.kind)
                    problems.append((failure.kind, failure.message))
                }
            case .null:
                problems.append((.missingField, "image field \"\(field.name)\" is null"))
            case .other:
                problems.append((.missingField, "image field \"\(field.name)\" is not a string"))
            }
        } else {
            let looked = fields.image.map { "\"\($0)\"" } ?? FieldNames.imageAliases.joined(separator: ", ")
            problems.append((.missingField, "no image field (looked for \(looked); name it with --image-field)"))
        }

        var caption = ""
        if let index = fields.index(of: fields.caption, aliases: FieldNames.captionAliases, in: record) {
            let field = record.fields[index]
            switch FieldValue(field.value, encoding: record.encoding) {
            case .text(let text, let wasLossy):
                caption = text
                if wasLossy, !lossy.contains(field.name) { lossy.append(field.name) }
            case .null:
                break
            case .other:
                problems.append((.missingField, "caption field \"\(field.name)\" is not a string; using an empty caption"))
            }
        }

        if !lossy.isEmpty {
            let names = lossy.map { "\"\($0)\"" }.joined(separator: ", ")
            problems.insert((.invalidUTF8, "invalid UTF-8 in \(names); decoded with U+FFFD replacement characters"), at: 0)
        }
        let sample = Sample(ordinal: ordinal, key: key, image: image, caption: caption, origin: origin, record: record)
        return (sample, source, problems.map { InputProblem($0.0, at: origin, key: key, $0.1) })
    }
}

/// A first-in, first-out queue of reader items waiting to be returned by `next()`.
struct ItemQueue {
    private var items: [ReaderItem] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ item: ReaderItem) { items.append(item) }

    mutating func append(problems: [InputProblem]) {
        for problem in problems { items.append(.problem(problem)) }
    }

    mutating func popFirst() -> ReaderItem? {
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return item
    }
}
