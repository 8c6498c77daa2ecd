import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a folder of images (LoRA/DreamBooth style): ``ImageExtensions/decoded`` files in any letter case (and
/// ``ImageExtensions/undecoded`` ones, whose images are then reported as unsupported), recursively, in
/// order of relative path, each with an optional sidecar `NAME.txt` caption. The key is the relative path
/// without its extension. When the folder holds a `metadata.jsonl` or `metadata.csv` (Hugging Face
/// ImageFolder), the metadata drives instead and its `file_name` paths resolve against the folder.
///
/// Hidden files and folders (names starting with `.`, such as `.curate/`) are skipped, and symlinked
/// folders are not followed. An image without a caption gets caption `""`; a `.txt` without an image is
/// an `orphanMember` problem.
public struct FolderReader: SampleReader {
    /// The folder as the user named it.
    public let path: String
    /// Image file extensions read, lower-case.
    /// GIF, BMP and TIFF are listed too although they are not decoded: such a file is a sample whose image is an
    /// `unsupportedFormat` problem (as when a manifest row names it), not a file skipped without a word.
    public static let imageExtensions = ImageExtensions.decoded.union(ImageExtensions.undecoded)
    /// Sidecar captions larger than this are reported and read as empty.
    public static let maxCaptionBytes = 1 << 20

    private let resolver: ImagePathResolver
    private var metadata: (any SampleReader)?
    private var stack: [Directory] = []
    private var pending = ItemQueue()
    private var ordinal = 0

    private struct Entry {
        var name: String
        var isDirectory: Bool
    }

    private struct Directory {
        /// Path relative to the folder, with a trailing `/`, or `""` for the folder itself.
        var relative: String
        var entries: [Entry]
        var index = 0
        /// Stem → caption file name.
        var captions: [String: String]
        /// Stems that have at least one image.
        var imageStems: Set<String>
    }

    /// Opens `path`; `fields` apply to a `metadata.jsonl`/`metadata.csv`.
    /// - Throws: `ByteReadError` when the folder or its metadata cannot be read.
    public init(path: String, fields: FieldNames = FieldNames()) throws {
        self.path = path
        resolver = ImagePathResolver(root: path, isImageFolder: true)
        let jsonl = (path as NSString).appendingPathComponent("metadata.jsonl")
        let csv = (path as NSString).appendingPathComponent("metadata.csv")
        if FileManager.default.fileExists(atPath: jsonl) {
            metadata = try JSONLReader(path: jsonl, fields: fields, imageRoot: path, isImageFolder: true)
        } else if FileManager.default.fileExists(atPath: csv) {
            metadata = try DelimitedTextReader(
                path: csv, delimiter: nil, fields: fields, imageRoot: path, isImageFolder: true)
        } else {
            stack.append(try Self.list(root: path, relative: ""))
        }
    }

    /// True when `path` is a folder that holds a `metadata.jsonl` or `metadata.csv`.
    public static func hasMetadata(_ path: String) -> Bool {
        ["metadata.jsonl", "metadata.csv"].contains {
            FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent($0))
        }
    }

    public mutating func next() throws -> ReaderItem? {
        if metadata != nil { return try metadata!.next() }
        while true {
            if let item = pending.popFirst() { return item }
            guard let last = stack.indices.last else { return nil }
            guard stack[last].index < stack[last].entries.count else {
                stack.removeLast()
                continue
            }
            let entry = stack[last].entries[stack[last].index]
            stack[last].index += 1
            let relative = stack[last].relative + entry.name
            if entry.isDirectory {
                do {
                    stack.append(try Self.list(root: path, relative: relative + "/"))
                } catch {
                    return .problem(
                        InputProblem(.unreadableFile, at: SampleOrigin(file: join(relative)), error.message))
                }
                continue
            }
            let (stem, ext) = Self.splitExtension(entry.name)
            if Self.imageExtensions.contains(ext) {
                return sample(relative: relative, stem: stem, in: stack[last])
            }
            if ext == "txt", !stack[last].imageStems.contains(stem) {
                return .problem(
                    InputProblem(
                        .orphanMember, at: SampleOrigin(file: join(relative)), key: stack[last].relative + stem,
                        "caption file has no image named \(stem) beside it (\(ImageExtensions.decodedList));"
                            + " no sample"))
            }
        }
    }

    private mutating func sample(relative: String, stem: String, in directory: Directory) -> ReaderItem {
        let key = directory.relative + stem
        let origin = SampleOrigin(file: join(relative))
        var problems: [InputProblem] = []
        let source: ImageSource
        switch resolver.resolve(relative) {
        case .success(let url): source = .file(url)
        case .failure(let failure):
            source = .missing(failure.kind)
            problems.append(InputProblem(failure.kind, at: origin, key: key, failure.message))
        }
        var caption = ""
        if let captionName = directory.captions[stem] {
            let captionRelative = directory.relative + captionName
            let captionOrigin = SampleOrigin(file: join(captionRelative))
            switch readCaption(captionRelative) {
            case .success(let (text, lossy)):
                caption = text
                if lossy {
                    problems.append(
                        InputProblem(
                            .invalidUTF8, at: captionOrigin, key: key,
                            "invalid UTF-8 in the caption; decoded with U+FFFD replacement characters"))
                }
            case .failure(let failure):
                problems.append(InputProblem(failure.kind, at: captionOrigin, key: key, failure.message))
            }
        } else {
            problems.append(
                InputProblem(
                    .missingField, at: origin, key: key, "no caption file \(stem).txt beside the image; caption left empty"))
        }
        // `key` first, so a cleaned manifest read back names its samples as the folder did (not by line number).
        let record = Record(
            encoding: .text,
            fields: [
                Record.Field(name: "key", value: key), Record.Field(name: "file_name", value: relative),
                Record.Field(name: "text", value: caption),
            ])
        let sample = Sample(
            ordinal: ordinal, key: key, image: relative, caption: caption, origin: origin, record: record)
        ordinal += 1
        pending.append(problems: problems)
        return .sample(sample, source)
    }

    private func readCaption(_ relative: String) -> Result<(String, Bool), ImagePathResolver.Failure> {
        let url: URL
        switch resolver.resolve(relative) {
        case .success(let resolved): url = resolved
        case .failure(let failure): return .failure(failure)
        }
        var info = stat()
        if stat(url.path, &info) == 0, Int(info.st_size) > Self.maxCaptionBytes {
            return .failure(
                .init(
                    kind: .unreadableFile,
                    message:
                        "caption file is \(info.st_size) bytes, over the \(Self.maxCaptionBytes)-byte cap; caption left empty"
                ))
        }
        guard let data = try? Data(contentsOf: url) else {
            return .failure(.init(kind: .unreadableFile, message: "caption file cannot be read; caption left empty"))
        }
        return .success(CaptionText.decode(data))
    }

    private func join(_ relative: String) -> String {
        path.hasSuffix("/") ? path + relative : path + "/" + relative
    }

    /// `("photo.v2", "jpg")` for `photo.v2.JPG`; the extension is lower-cased.
    static func splitExtension(_ name: String) -> (String, String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), name[name.index(after: dot)...].lowercased())
    }

    /// Lists one directory, sorted so that a depth-first walk visits files in byte order of relative path.
    private static func list(root: String, relative: String) throws(ByteReadError) -> Directory {
        let full = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
        guard let handle = opendir(full) else {
            throw ByteReadError(path: full, "cannot list the folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(handle) }
        var entries: [Entry] = []
        while let item = readdir(handle) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            var isDirectory = Int32(item.pointee.d_type) == DT_DIR
            if Int32(item.pointee.d_type) == DT_UNKNOWN {
                var info = stat()
                isDirectory =
                    lstat((full as NSString).appendingPathComponent(name), &info) == 0
                    && (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append(Entry(name: name, isDirectory: isDirectory))
        }
        entries.sort {
            Array(($0.isDirectory ? $0.name + "/" : $0.name).utf8).lexicographicallyPrecedes(
                ($1.isDirectory ? $1.name + "/" : $1.name).utf8)
        }
        var captions: [String: String] = [:]
        var imageStems: Set<String> = []
        for entry in entries where !entry.isDirectory {
            let (stem, ext) = splitExtension(entry.name)
            if ext == "txt", captions[stem] == nil { captions[stem] = entry.name }
            if imageExtensions.contains(ext) { imageStems.insert(stem) }
        }
        return Directory(relative: relative, entries: entries, captions: captions, imageStems: imageStems)
    }
}
