import Foundation

/// Reads a JSON Lines manifest (`.jsonl`, `.json` lines, `.jsonl.lz4`): one object per line.
///
/// Every field is kept with the exact source text of its value (`Record.Encoding.json`), and the record with its
/// line's bytes, so extra fields and untouched lines (invalid UTF-8 included) pass through byte-for-byte. Blank
/// lines are skipped; a line that is not one valid JSON object becomes a `malformedLine` problem and reading goes on.
/// A missing key becomes the line number.
public struct JSONLReader: SampleReader {
    /// The manifest path as the user named it.
    public let path: String
    private let lines: LineReader
    private var assembler: SampleAssembler
    /// Which samples' image paths are looked up on disk (default: all).
    public var imageResolution: ImageResolution {
        get { assembler.imageResolution }
        set { assembler.imageResolution = newValue }
    }
    private var splitter = JSONObjectSplitter()
    private var members: [JSONMember] = []
    private var pending = ItemQueue()
    private var ordinal = 0
    private var finished = false

    /// Opens `path`; image paths resolve against `imageRoot` (default: the manifest's folder). `isImageFolder`: the
    /// file is an image folder's `metadata.jsonl` (see ``ImagePathResolver/isImageFolder``).
    /// - Throws: `ByteReadError` when the file cannot be opened.
    public init(
        path: String, fields: FieldNames = FieldNames(), imageRoot: String? = nil, isImageFolder: Bool = false
    ) throws {
        self.path = path
        lines = LineReader(source: try openByteSource(path: path))
        let root = imageRoot ?? (path as NSString).deletingLastPathComponent
        let resolver = ImagePathResolver(root: root.isEmpty ? "." : root, isImageFolder: isImageFolder)
        assembler = SampleAssembler(fields: fields, resolver: resolver)
    }

    public mutating func next() throws -> ReaderItem? {
        while true {
            if let item = pending.popFirst() { return item }
            if finished { return nil }
            let line: LineReader.Line?
            do {
                line = try lines.next()
            } catch {
                finished = true
                let origin = SampleOrigin(file: path, line: lines.lineNumber + 1)
                return .problem(
                    InputProblem(.unreadableFile, at: origin, "\(error.message); the rest of the file is skipped"))
            }
            guard let line else {
                finished = true
                return nil
            }
            let number = lines.lineNumber
            switch line {
            case .overlong:
                return .problem(
                    InputProblem(
                        .malformedLine, at: SampleOrigin(file: path, line: number), "line is too long; skipped"))
            case .bytes(var bytes):
                if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                    bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
                }
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                if let item = read(line: bytes, number: number) { return item }
            }
        }
    }

    private mutating func read(line bytes: UnsafeRawBufferPointer, number: Int) -> ReaderItem? {
        let origin = SampleOrigin(file: path, line: number)
        do {
            try splitter.split(bytes, into: &members)
        } catch {
            return .problem(InputProblem(.malformedLine, at: origin, "not a valid JSON object: \(error)"))
        }
        let text = bytes.bindMemory(to: UInt8.self)
        var fields: [Record.Field] = []
        fields.reserveCapacity(members.count)
        var lossy: [String] = []
        for member in members {
            let (value, valid) = UTF8Text.decode(UnsafeBufferPointer(rebasing: text[member.value]))
            if !valid { lossy.append(member.name) }
            if member.nameIsLossy, !lossy.contains(member.name) { lossy.append(member.name) }
            fields.append(Record.Field(name: member.name, value: value))
        }
        var record = Record(encoding: .json, fields: fields)
        record.source = Array(text)
        let (sample, source) = assembler.assemble(
            record: record, origin: origin, fallbackKey: String(number),
            ordinal: ordinal, lossyFields: lossy, problems: &pending)
        ordinal += 1
        return .sample(sample, source)
    }
}
