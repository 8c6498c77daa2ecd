import Foundation

/// Reads every input of a run as one stream of samples: picks the reader for each input by its name or
/// folder layout, numbers samples with one running `ordinal`, and reports keys seen before.
///
/// Each sample comes before the problems found in it (`.sample`, then `.problem`s with its key). A sample
/// with a duplicate key is still yielded, renamed `KEY~2` (`~3`, … for later ones; its record is untouched) and
/// followed by a `duplicateKey` problem, so keys name one sample each in every output. An
/// input that cannot be opened or breaks while reading becomes an `unreadableFile` problem and the next
/// input is read. Memory does not grow with the number of rows, except for the set of keys seen.
///
/// What `Sample.record` holds, by input kind (writers find the caption field with `FieldNames.roles(in:)`):
/// - JSONL and `metadata.jsonl`: every field in line order, `.json`, each value's exact source text.
/// - CSV/TSV and `metadata.csv`: the header's fields, `.text`, each cell decoded (cells past the header in
///   `extraCells`).
/// - Folder with sidecar captions: `key` (the path without extension), `file_name` (relative path) and `text`
///   (the caption), `.text`.
/// - Webdataset shard: `key`, `image` (member name) and `caption` as JSON strings, then the `.json` member's
///   fields byte-for-byte (except ones named `key`, `image` or `caption`), `.json`.
public struct DatasetReader: SampleReader {
    /// The inputs after brace and glob expansion, in reading order.
    public let inputs: [DatasetInput]
    private let fields: FieldNames
    private let imageRoot: String?
    /// False skips the image bytes of tar members (see ``WebDatasetReader/readsImageBytes``).
    public var readsImageBytes = true
    /// Keys whose tar image bytes are read even when `readsImageBytes` is false (see
    /// ``WebDatasetReader/imageBytesKeys``).
    public var imageBytesKeys: Set<String> = []
    /// When set, manifests' image paths are looked up only for the samples of these ordinals; the others come back
    /// as `.missing(.missingImage)`, unchecked (see ``ImageResolution``). For a second read that needs the records.
    public var imageOrdinals: Set<Int>?
    private var index = 0
    private var current: (any SampleReader)?
    private var ordinal = 0
    private var seenKeys: Set<String> = []
    /// Names given to samples whose key an earlier one had (`KEY~2`), so a later row that really is `KEY~2` hears why.
    private var givenNames: Set<String> = []
    private var pending = ItemQueue()

    /// - Parameters:
    ///   - inputs: files, folders, brace lists (`shards/{00000..00009}.tar`) or globs (`shards/*.tar`).
    ///   - fields: overrides for the key, image and caption field names.
    ///   - imageRoot: the folder manifests' image paths resolve against and must stay inside (default: each
    ///     manifest's own folder); `/` reads any absolute path.
    /// - Throws: `DatasetInputError` when an input does not exist or its kind cannot be told.
    public init(
        inputs: [String], fields: FieldNames = FieldNames(), imageRoot: String? = nil
    ) throws(DatasetInputError) {
        var resolved: [DatasetInput] = []
        for input in inputs { resolved += try DatasetInput.resolve(input) }
        self.inputs = resolved
        self.fields = fields
        self.imageRoot = imageRoot
    }

    /// Opens the reader for one input.
    public static func reader(
        for input: DatasetInput, fields: FieldNames, imageRoot: String? = nil, readsImageBytes: Bool = true,
        imageBytesKeys: Set<String> = [], imageResolution: ImageResolution = .all
    ) throws -> any SampleReader {
        switch input.kind {
        case .jsonl:
            var reader = try JSONLReader(path: input.path, fields: fields, imageRoot: imageRoot)
            reader.imageResolution = imageResolution
            return reader
        case .csv, .tsv:
            var reader = try DelimitedTextReader(
                path: input.path, delimiter: input.kind == .tsv ? "\t" : nil, fields: fields, imageRoot: imageRoot)
            reader.imageResolution = imageResolution
            return reader
        case .folder: return try FolderReader(path: input.path, fields: fields)
        case .webdataset:
            var reader = try WebDatasetReader(path: input.path, fields: fields)
            reader.readsImageBytes = readsImageBytes
            reader.imageBytesKeys = imageBytesKeys
            return reader
        }
    }

    public mutating func next() throws -> ReaderItem? {
        while true {
            if let item = pending.popFirst() { return item }
            if current == nil {
                guard index < inputs.count else { return nil }
                let input = inputs[index]
                index += 1
                do {
                    // This input's first sample will be number `ordinal`.
                    current = try Self.reader(
                        for: input, fields: fields, imageRoot: imageRoot, readsImageBytes: readsImageBytes,
                        imageBytesKeys: imageBytesKeys,
                        imageResolution: imageOrdinals.map { .only($0, offset: ordinal) } ?? .all)
                } catch {
                    let message = (error as? ByteReadError)?.message ?? "\(error)"
                    return .problem(
                        InputProblem(
                            .unreadableFile, at: SampleOrigin(file: input.path), "\(message); this input is skipped"))
                }
            }
            let item: ReaderItem?
            do {
                item = try current!.next()
            } catch {
                current = nil
                let message = (error as? ByteReadError)?.message ?? "\(error)"
                return .problem(
                    InputProblem(
                        .unreadableFile, at: SampleOrigin(file: inputs[index - 1].path),
                        "\(message); the rest of this input is skipped"))
            }
            guard let item else {
                current = nil
                continue
            }
            guard case .sample(var sample, let source) = item else { return item }
            sample.ordinal = ordinal
            ordinal += 1
            if !seenKeys.insert(sample.key).inserted {
                // The row keeps its record (its own key field included) but is named apart in clusters, changes
                // and the report, where a shared key would make two different images one.
                let duplicated = sample.key
                var occurrence = 2
                while !seenKeys.insert("\(duplicated)~\(occurrence)").inserted { occurrence += 1 }
                sample.key = "\(duplicated)~\(occurrence)"
                sample.inputKey = duplicated
                let earlier =
                    givenNames.contains(duplicated)
                    ? "is the name an earlier duplicate key was given" : "was already used by an earlier sample"
                givenNames.insert(sample.key)
                pending.append(
                    .problem(
                        InputProblem(
                            .duplicateKey, at: sample.origin, key: sample.key,
                            "the key \"\(duplicated)\" \(earlier); both are kept, this one"
                                + " named \"\(sample.key)\" in clusters, changes and the report")))
            }
            return .sample(sample, source)
        }
    }
}
