/// Turns one record into a sample: picks the key, image and caption fields, resolves the image, and lists
/// the problems found on the way. Shared by the manifest readers so every format follows the same rules.
struct SampleAssembler {
    let fields: FieldNames
    let resolver: ImagePathResolver
    /// Which samples' image paths are looked up (every sample's unless a replay says otherwise).
    var imageResolution = ImageResolution.all
    private let cache = RoleCache()

    init(fields: FieldNames, resolver: ImagePathResolver) {
        self.fields = fields
        self.resolver = resolver
    }

    /// The field positions of the last record layout seen: manifests repeat one layout on every row, so
    /// alias lookups are done once per layout instead of once per row.
    private final class RoleCache {
        var names: [String] = []
        var key: Int?
        var caption: Int?
        var imageCandidates: [Int] = []
    }

    private func roles(of record: Record) -> RoleCache {
        let fieldsMatch =
            cache.names.count == record.fields.count
            && zip(cache.names, record.fields).allSatisfy { $0 == $1.name }
        if !fieldsMatch {
            cache.names = record.fields.map(\.name)
            cache.key = fields.index(of: fields.key, aliases: FieldNames.keyAliases, in: record)
            cache.caption = fields.index(of: fields.caption, aliases: FieldNames.captionAliases, in: record)
            cache.imageCandidates = fields.imageCandidates(in: record)
        }
        return cache
    }

    /// The sample and its image source; the problems that belong to it are appended to `problems`, to be
    /// reported after the sample.
    func assemble(
        record: Record, origin: SampleOrigin, fallbackKey: String, ordinal: Int, lossyFields: [String],
        problems queue: inout ItemQueue
    ) -> (Sample, ImageSource) {
        var problems: [(ProblemKind, String)] = []
        var lossy = lossyFields

        let roles = roles(of: record)
        var key = fallbackKey
        if let index = roles.key {
            let field = record.fields[index]
            switch FieldValue(field.value, encoding: record.encoding) {
            case .text(let text, let wasLossy) where !text.isEmpty:
                key = text
                if wasLossy, !lossy.contains(field.name) { lossy.append(field.name) }
            case .text, .null:
                break
            case .other:
                problems.append(
                    (.missingField, "key field \"\(field.name)\" is not a string or number; using the line number"))
            }
        } else if let name = fields.key {
            problems.append((.missingField, "no key field \"\(name)\"; using the line number"))
        }

        var image: String?
        var source = ImageSource.missing(.missingField)
        if let index = FieldNames.imageIndex(candidates: roles.imageCandidates, in: record) {
            let field = record.fields[index]
            switch FieldValue(field.value, encoding: record.encoding) {
            case .text(let text, _):
                image = text
                guard imageResolution.resolves(ordinal) else {
                    source = .missing(.missingImage)
                    break
                }
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
            problems.append(
                (.missingField, "no image field (looked for \(fields.lookedForImage); name it with --image-field)"))
        }

        var caption = ""
        if let index = roles.caption {
            let field = record.fields[index]
            switch FieldValue(field.value, encoding: record.encoding) {
            case .text(let text, let wasLossy):
                caption = text
                if wasLossy, !lossy.contains(field.name) { lossy.append(field.name) }
            case .null:
                break
            case .other:
                problems.append(
                    (.missingField, "caption field \"\(field.name)\" is not a string; using an empty caption"))
            }
        } else {
            // Said like the missing image field: a misspelt --caption-field would otherwise empty every caption
            // silently, and an audit would find no triggers and exit 0.
            let looked =
                fields.caption.map { "\"\($0)\"" } ?? FieldNames.captionAliases.joined(separator: ", ") + " in any case"
            problems.append(
                (.missingField,
                 "no caption field (looked for \(looked); name it with --caption-field); using an empty caption"))
        }

        if !lossy.isEmpty {
            let names = lossy.map { "\"\($0)\"" }.joined(separator: ", ")
            queue.append(
                .problem(
                    InputProblem(
                        .invalidUTF8, at: origin, key: key,
                        "invalid UTF-8 in \(names); decoded with U+FFFD replacement characters")))
        }
        for (kind, message) in problems { queue.append(.problem(InputProblem(kind, at: origin, key: key, message))) }
        return (
            Sample(ordinal: ordinal, key: key, image: image, caption: caption, origin: origin, record: record), source
        )
    }
}
