import Foundation

/// Reads a CSV or TSV manifest with a header row (img2dataset / LAION metadata style), `.lz4` optional.
///
/// Cells follow RFC 4180 quoting, read as Python's `csv` module reads them (see ``CSVRowParser``), so captions may
/// hold delimiters, quotes and newlines; a record's line is the line it starts on. A `.csv` file's delimiter is
/// told from its header line (comma, semicolon or tab). Each record keeps its row's bytes, so an untouched row is
/// written back as it was. Values are decoded text (`Record.Encoding.text`).
///
/// No row is dropped for its shape: a row shorter than the header has empty cells for the columns it lacks (as
/// pandas and Python's `csv.DictReader` read it), one longer keeps the cells past the header as
/// ``Record/extraCells`` (a `malformedLine` problem names it when any of them holds text), and a quote never closed
/// is a `malformedLine` problem on the row it opens in, whose record then has no source bytes (see
/// ``CSVRowParser``).
public struct DelimitedTextReader: SampleReader {
    /// The manifest path as the user named it.
    public let path: String
    private let parser: CSVRowParser
    private var assembler: SampleAssembler
    /// Which samples' image paths are looked up on disk (default: all).
    public var imageResolution: ImageResolution {
        get { assembler.imageResolution }
        set { assembler.imageResolution = newValue }
    }
    private var header: [String]?
    private var pending = ItemQueue()
    private var ordinal = 0
    private var finished = false

    /// Opens `path`; `delimiter` is `,` for CSV and tab for TSV, or nil to tell it from the header line. Image paths
    /// resolve against `imageRoot` (default: the manifest's folder). `isImageFolder`: the file is an image folder's
    /// `metadata.csv` (see ``ImagePathResolver/isImageFolder``).
    /// - Throws: `ByteReadError` when the file cannot be opened.
    public init(
        path: String, delimiter: Character?, fields: FieldNames = FieldNames(), imageRoot: String? = nil,
        isImageFolder: Bool = false
    ) throws {
        self.path = path
        parser = CSVRowParser(source: try openByteSource(path: path), delimiter: delimiter?.asciiValue)
        let root = imageRoot ?? (path as NSString).deletingLastPathComponent
        let resolver = ImagePathResolver(root: root.isEmpty ? "." : root, isImageFolder: isImageFolder)
        assembler = SampleAssembler(fields: fields, resolver: resolver)
    }

    /// A manifest's header row as the reader reads it.
    public struct HeaderRow: Sendable {
        /// The column names (decoded with U+FFFD where they are not valid UTF-8).
        public var names: [String]
        /// The row's bytes as written, without its line ending (nil when its quoting had to be repaired: written back
        /// as it was written, it would swallow the rows after it again).
        public var bytes: [UInt8]?
        /// The delimiter the file uses.
        public var delimiter: Character
    }

    /// The header row of the manifest at `path` (nil when the file cannot be read or has no row).
    public static func headerRow(path: String) -> HeaderRow? {
        guard let source = try? openByteSource(path: path) else { return nil }
        let parser = CSVRowParser(source: source, delimiter: delimiter(forPath: path)?.asciiValue, chunkSize: 1 << 16)
        guard let row = try? parser.nextRow() else { return nil }
        return HeaderRow(
            names: row.cells, bytes: row.problem == nil ? row.bytes : nil,
            delimiter: Character(Unicode.Scalar(parser.delimiter)))
    }

    /// The delimiter a manifest's name implies: tab for `.tsv`/`.tsv.lz4`; nil for others, whose header line tells it.
    public static func delimiter(forPath path: String) -> Character? {
        let lower = path.lowercased()
        return lower.hasSuffix(".tsv") || lower.hasSuffix(".tsv.lz4") ? "\t" : nil
    }

    public mutating func next() throws -> ReaderItem? {
        while true {
            if let item = pending.popFirst() { return item }
            if finished { return nil }
            let row: CSVRowParser.Row?
            do {
                row = try parser.nextRow()
            } catch {
                finished = true
                return .problem(
                    InputProblem(
                        .unreadableFile, at: SampleOrigin(file: path),
                        "\(error.message); the rest of the file is skipped"))
            }
            guard let row else {
                finished = true
                return nil
            }
            let origin = SampleOrigin(file: path, line: row.line)
            guard let header else {
                header = row.cells
                if let problem = row.problem {
                    pending.append(.problem(InputProblem(.malformedLine, at: origin, "in the header row: \(problem)")))
                }
                if !row.lossyCells.isEmpty {
                    let message = "invalid UTF-8 in the header row; decoded with U+FFFD"
                    pending.append(.problem(InputProblem(.invalidUTF8, at: origin, message)))
                }
                continue
            }
            var cells = row.cells
            var extraCells: [String] = []
            if cells.count < header.count {
                cells += repeatElement("", count: header.count - cells.count)
            } else if cells.count > header.count {
                extraCells = Array(cells[header.count...])
                cells.removeSubrange(header.count...)
            }
            var record = Record(encoding: .text, fields: zip(header, cells).map { Record.Field(name: $0, value: $1) })
            // A row whose quote never closed is written back as it was read, so a reader of the cleaned file does not
            // lose the rows after it either.
            record.source = row.problem == nil ? row.bytes : nil
            record.extraCells = extraCells
            let lossy = row.lossyCells.map { $0 < header.count ? header[$0] : "cell \($0 + 1)" }
            let (sample, source) = assembler.assemble(
                record: record, origin: origin, fallbackKey: String(row.line),
                ordinal: ordinal, lossyFields: lossy, problems: &pending)
            ordinal += 1
            if let problem = row.problem {
                pending.append(.problem(InputProblem(.malformedLine, at: origin, key: sample.key, problem)))
            }
            // Empty cells past the header (a trailing delimiter on every row) lose nothing: only text is worth a word.
            if extraCells.contains(where: { !$0.isEmpty }) {
                pending.append(
                    .problem(
                        InputProblem(
                            .malformedLine, at: origin, key: sample.key,
                            "the row has \(row.cells.count) cells but the header has \(header.count): the"
                                + " \(extraCells.count) past the last column have no name; they stay with the row"
                                + " (after its other cells; extra_cells in removed.jsonl)")))
            }
            return .sample(sample, source)
        }
    }
}
