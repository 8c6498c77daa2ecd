import Foundation

/// Reads one webdataset tar shard: consecutive members sharing a key (the member path up to the first dot
/// of its file name) form a sample, `KEY.jpg|jpeg|jpe|jfif|png|webp` + `KEY.txt` (+ `KEY.json`, whose fields are
/// kept byte-for-byte in the record after `key`, `image` and `caption`).
///
/// As in webdataset, only consecutive members group: a key's members apart from its image (`a.jpg`, `b.jpg`,
/// `a.txt`) are an `orphanMember` problem saying they are not adjacent, and the image is a sample without them.
///
/// Image bytes are read into memory per sample (`ImageSource.bytes`). Members with absolute paths, `..`
/// components, or that are links are `unsafeMember` problems and never read. Members over the size caps
/// are reported. A truncated or corrupt shard yields a problem naming it, and reading stops there.
public struct WebDatasetReader: SampleReader {
    /// The shard path as the user named it.
    public let path: String
    /// Default cap on image members (`oversizedImage` above it).
    public static let defaultMaxImageBytes = 64 << 20
    /// Default cap on caption and metadata members.
    public static let defaultMaxTextBytes = 1 << 20
    /// Image members larger than this are not read (`oversizedImage`).
    public let maxImageBytes: Int
    /// Caption and metadata members larger than this are not read (`unreadableFile`).
    public let maxTextBytes: Int
    /// False skips image members' bytes (the sample's source is then empty `.bytes`): for a second pass that
    /// only needs the records.
    public var readsImageBytes = true
    /// Keys whose image bytes are read even when `readsImageBytes` is false: the few samples a second pass needs
    /// the images of (the report's thumbnails), without reading every image of the shard again.
    public var imageBytesKeys: Set<String> = []
    static let imageSuffixes = ImageExtensions.decoded

    private let archive: ArchiveHandle
    private let fields: FieldNames
    private var group: Group?
    private var pending = ItemQueue()
    private var ordinal = 0
    private var finished = false
    private var splitter = JSONObjectSplitter()
    /// Keys of the groups read so far from this shard: true when the group was a sample. A key seen again has
    /// members that are not adjacent.
    private var readKeys: [String: Bool] = [:]
    /// Groups without an image, reported at the end of the shard: a later image of the same key makes them
    /// members that are not adjacent rather than members without an image.
    private var orphans: [Orphan] = []

    private struct Orphan {
        var key: String
        var members: [String]
        /// Said when the key has no image anywhere in the shard.
        var hint: String
    }

    private struct Group {
        var key: String
        var imageMember: String?
        var image: Data?
        var imageFailure: ProblemKind?
        var captionMember: String?
        var caption: Data?
        var jsonMember: String?
        var json: Data?
        /// Members of this key that are neither an image, a caption nor metadata (`KEY.cls`, `a.b.c.jpg` whose
        /// extension is `b.c.jpg`): kept only to name them if the key has no image.
        var otherMembers: [String] = []
        var problems: [InputProblem] = []
    }

    /// Opens the shard.
    /// - Throws: `ByteReadError` when the file cannot be opened as an archive.
    public init(
        path: String, fields: FieldNames = FieldNames(), maxImageBytes: Int = Self.defaultMaxImageBytes,
        maxTextBytes: Int = Self.defaultMaxTextBytes
    ) throws {
        self.path = path
        self.fields = fields
        self.maxImageBytes = maxImageBytes
        self.maxTextBytes = maxTextBytes
        archive = try ArchiveHandle(path: path)
    }

    public mutating func next() throws -> ReaderItem? {
        while true {
            if let item = pending.popFirst() { return item }
            if finished { return nil }
            switch archive.nextMember() {
            case .end:
                flush()
                reportOrphans()
                finished = true
            case .failure(let message):
                damaged("the shard is truncated or corrupt: \(message)", member: nil)
            case .member(let member):
                read(member)
            }
        }
    }

    private mutating func read(_ member: ArchiveHandle.Member) {
        if member.isDirectory { return }
        let origin = SampleOrigin(file: path, member: member.name)
        let naming = WebDatasetMembers.naming(of: member.name)
        if naming == .unsafe {
            pending.append(
                .problem(
                    InputProblem(
                        .unsafeMember, at: origin, "member path is absolute or climbs out with '..'; it is never read"))
            )
            skip(member)
            return
        }
        guard member.isRegularFile else {
            pending.append(
                .problem(InputProblem(.unsafeMember, at: origin, "member is a link or special file; it is never read")))
            skip(member)
            return
        }
        guard case .sample(let key, let writtenSuffix) = naming else {
            skip(member)
            return
        }
        let suffix = writtenSuffix.lowercased()
        if group?.key != key {
            flush()
            group = Group(key: key)
        }
        if Self.imageSuffixes.contains(suffix) {
            if group!.imageMember != nil {
                pending.append(
                    .problem(
                        InputProblem(.orphanMember, at: origin, key: key, "a second image for the same key; ignored")))
                skip(member)
                return
            }
            group!.imageMember = member.name
            if member.size > maxImageBytes {
                group!.imageFailure = .oversizedImage
                group!.problems.append(
                    InputProblem(
                        .oversizedImage, at: origin, key: key,
                        "image member is \(member.size) bytes, over the \(maxImageBytes)-byte cap; not read"))
                skip(member)
                return
            }
            guard readsImageBytes || imageBytesKeys.contains(key) else {
                skip(member)
                if !finished { group!.image = Data() }
                return
            }
            let bytes = data(of: member)
            // A read failure has already emitted the group and stopped the shard.
            if !finished { group!.image = bytes }
        } else if suffix == "txt" || suffix == "json" {
            if (suffix == "txt" ? group!.captionMember : group!.jsonMember) != nil {
                // Like a second image: the first one is kept, and the user hears about the other.
                pending.append(
                    .problem(
                        InputProblem(
                            .orphanMember, at: origin, key: key, "a second .\(suffix) for the same key; ignored")))
                skip(member)
                return
            }
            if member.size > maxTextBytes {
                group!.problems.append(
                    InputProblem(
                        .unreadableFile, at: origin, key: key,
                        "member is \(member.size) bytes, over the \(maxTextBytes)-byte cap; not read"))
                skip(member)
                return
            }
            let bytes = data(of: member)
            if finished { return }
            if suffix == "txt" {
                group!.captionMember = member.name
                group!.caption = bytes
            } else {
                group!.jsonMember = member.name
                group!.json = bytes
            }
        } else {
            group!.otherMembers.append(member.name)
            skip(member)
        }
    }

    private mutating func data(of member: ArchiveHandle.Member) -> Data? {
        switch archive.readData(expectedSize: member.size) {
        case .success(let data): return data
        case .failure(let error):
            damaged("the shard is truncated or corrupt in member \(member.name): \(error.message)", member: member.name)
            return nil
        }
    }

    private mutating func skip(_ member: ArchiveHandle.Member) {
        if let error = archive.skipData() {
            damaged("the shard is truncated or corrupt in member \(member.name): \(error.message)", member: member.name)
        }
    }

    /// Reports the damage, emits what was complete, and stops reading this shard.
    private mutating func damaged(_ message: String, member: String?) {
        guard !finished else { return }
        finished = true
        // A cut in an image member is that sample's truncated image (the kind the sample carries, so `stats.json`
        // counts it alike before and after); a cut elsewhere is the shard's.
        var kind = ProblemKind.unreadableFile
        var key: String?
        if let member, let current = group, current.imageMember == member, current.image == nil,
            current.imageFailure == nil
        {
            kind = .truncatedImage
            key = current.key
        }
        if let member, var current = group {
            // Drop a caption or metadata member that could not be read; an unread image leaves the sample
            // with `ImageSource.missing(.truncatedImage)`, so it does not vanish.
            if current.captionMember == member {
                current.caption = nil
                current.captionMember = nil
            }
            if current.jsonMember == member {
                current.json = nil
                current.jsonMember = nil
            }
            group = current
        }
        flush()
        reportOrphans()
        pending.append(
            .problem(
                InputProblem(
                    kind, at: SampleOrigin(file: path, member: member), key: key,
                    "\(message); the rest of the shard is skipped")))
    }

    /// Turns the finished group into a sample (or an orphan, reported at the end of the shard).
    private mutating func flush() {
        guard let current = group else { return }
        group = nil
        let apart = readKeys[current.key] != nil
        guard let imageMember = current.imageMember else {
            let members = [current.captionMember, current.jsonMember].compactMap { $0 } + current.otherMembers
            if !members.isEmpty {
                // A dotted file name is the usual cause: the key ends at the first dot of the name.
                let hint =
                    current.otherMembers.isEmpty ? "" : " (the key is the name up to its first dot: \(current.key))"
                orphans.append(Orphan(key: current.key, members: members, hint: hint))
            }
            if !apart { readKeys[current.key] = false }
            pending.append(problems: current.problems)
            return
        }
        readKeys[current.key] = true
        let origin = SampleOrigin(file: path, member: imageMember)
        var problems = current.problems
        var extra: [Record.Field] = []
        var lossy: [String] = []
        if let json = current.json, let jsonMember = current.jsonMember {
            let parsed: Result<[JSONMember], JSONSyntaxError> = json.withUnsafeBytes { raw in
                Result { () throws(JSONSyntaxError) in try splitter.split(raw) }.map { $0 }
            }
            switch parsed {
            case .success(let members):
                json.withUnsafeBytes { raw in
                    for member in members {
                        let bytes = UnsafeRawBufferPointer(rebasing: raw[member.value])
                        var value = String(validating: bytes, as: UTF8.self)
                        if value == nil || member.nameIsLossy { lossy.append(member.name) }
                        if value == nil { value = String(decoding: bytes, as: UTF8.self) }
                        extra.append(Record.Field(name: member.name, value: value!))
                    }
                }
            case .failure(let error):
                problems.append(
                    InputProblem(
                        .malformedLine, at: SampleOrigin(file: path, member: jsonMember), key: current.key,
                        "not a valid JSON object: \(error); its fields are not kept"))
            }
        }
        var caption = ""
        if let data = current.caption {
            let (text, wasLossy) = CaptionText.decode(data)
            caption = text
            if wasLossy { lossy.append("caption") }
        } else if let index = fields.index(
            of: fields.caption, aliases: FieldNames.captionAliases, in: Record(encoding: .json, fields: extra)),
            case .text(let text, _) = FieldValue(extra[index].value, encoding: .json)
        {
            caption = text
        } else {
            let elsewhere = apart ? "; the key's other members lie elsewhere in the shard, not adjacent" : ""
            problems.append(
                InputProblem(
                    .missingField, at: origin, key: current.key,
                    "no \(current.key).txt caption member (nor a caption field in its .json)\(elsewhere);"
                        + " caption left empty"))
        }
        if !lossy.isEmpty {
            let names = lossy.map { "\"\($0)\"" }.joined(separator: ", ")
            let at = lossy == ["caption"] ? SampleOrigin(file: path, member: current.captionMember) : origin
            problems.insert(
                InputProblem(
                    .invalidUTF8, at: at, key: current.key,
                    "invalid UTF-8 in \(names); decoded with U+FFFD replacement characters"), at: 0)
        }
        let own: Set<String> = ["key", "image", "caption"]
        let record = Record(
            encoding: .json,
            fields: [
                Record.Field(name: "key", value: JSONString.quote(current.key)),
                Record.Field(name: "image", value: JSONString.quote(imageMember)),
                Record.Field(name: "caption", value: JSONString.quote(caption)),
            ] + extra.filter { !own.contains($0.name) })
        let source: ImageSource
        if let failure = current.imageFailure {
            source = .missing(failure)
        } else if let image = current.image {
            source = .bytes(image)
        } else {
            source = .missing(.truncatedImage)
        }
        let sample = Sample(
            ordinal: ordinal, key: current.key, image: imageMember, caption: caption, origin: origin, record: record)
        ordinal += 1
        pending.append(.sample(sample, source))
        pending.append(problems: problems)
    }

    /// Reports the groups without an image: members apart from their key's image, or keys with no image at all.
    private mutating func reportOrphans() {
        for orphan in orphans {
            let listed = orphan.members.joined(separator: ", ")
            let (lie, they) = orphan.members.count == 1 ? ("lies", "it is") : ("lie", "they are")
            let message =
                readKeys[orphan.key] == true
                ? "the members of \(orphan.key) are not adjacent in \(path): \(listed) \(lie) apart from its image,"
                    + " and a webdataset sample is read from consecutive members only, so \(they) not part of sample"
                    + " \(orphan.key) (write each sample's members together, e.g. tar --sort=name)"
                : "\(listed) has no image member (\(ImageExtensions.decodedList)) with the same key\(orphan.hint);"
                    + " no sample"
            pending.append(
                .problem(
                    InputProblem(
                        .orphanMember, at: SampleOrigin(file: path, member: orphan.members[0]), key: orphan.key,
                        message)))
        }
        orphans.removeAll()
    }
}
