import Foundation

/// Reads a CSV or TSV manifest with a header row (img2dataset / LAION metadata style), `.lz4` optional.
///
/// Cells follow RFC 4180 quoting, so captions may hold delimiters, quotes and newlines; a record's line is
/// the line it starts on. In a TSV a quote only opens a quoted cell when the cell reads as one (see
/// ``CSVRowParser``). Each record keeps its row's text, so an untouched row is written back as it was. Values are decoded text (`Record.Encoding.text`). A row whose cell count differs
/// from the header's becomes a `malformedLine` problem and reading goes on.
public struct DelimitedTextReader: SampleReader {
    /// The manifest path as the user named it.
    public let path: String
    private let parser: CSVRowParser
    private let assembler: SampleAssembler
    private var header: [String]?
    private var pending = ItemQueue()
    private var ordinal = 0
    private var finished = false

    /// Opens `path`; `delimiter` is `,` for CSV and tab for TSV. Image paths resolve against `imageRoot`
    /// (default: the manifest's folder).
    /// - Throws: `ByteReadError` when the file cannot be opened.
    public init(path: String, delimiter: Character, fields: FieldNames = FieldNames(), imageRoot: String? = nil) throws
    {
        self.path = path
        // Most TSV files do not quote at all (a caption may start with a quote): their quotes are lenient.
        parser = CSVRowParser(
            source: try openByteSource(path: path), delimiter: delimiter.asciiValue ?? UInt8(ascii: ","),
            lenientQuotes: delimiter == "\t")
        let root = imageRoot ?? (path as NSString).deletingLastPathComponent
        assembler = SampleAssembler(fields: fields, resolver: ImagePathResolver(root: root.isEmpty ? "." : root))
    }

    /// The header row of the manifest at `path`: its cell names and its text as written (nil when the file cannot
    /// be read, has no row, or its header is not valid UTF-8).
    public static func headerRow(path: String) -> (names: [String], text: String)? {
        let delimiter = delimiter(forPath: path)
        guard let source = try? openByteSource(path: path) else { return nil }
        let parser = CSVRowParser(
            source: source, delimiter: delimiter.asciiValue ?? UInt8(ascii: ","), lenientQuotes: delimiter == "\t",
            chunkSize: 1 << 16)
        guard let row = try? parser.nextRow(), row.malformation == nil, let text = row.text else { return nil }
        return (row.cells, text)
    }

    /// The delimiter a manifest's name implies: tab for `.tsv`/`.tsv.lz4`, else comma.
    public static func delimiter(forPath path: String) -> Character {
        let lower = path.lowercased()
        return lower.hasSuffix(".tsv") || lower.hasSuffix(".tsv.lz4") ? "\t" : ","
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
            if let malformation = row.malformation {
                return .problem(InputProblem(.malformedLine, at: origin, "not a valid CSV record: \(malformation)"))
            }
            guard let header else {
                header = row.cells
                if !row.lossyCells.isEmpty {
                    return .problem(
                        InputProblem(.invalidUTF8, at: origin, "invalid UTF-8 in the header row; decoded with U+FFFD"))
                }
                continue
            }
            guard row.cells.count == header.count else {
                return .problem(
                    InputProblem(
                        .malformedLine, at: origin,
                        "the record has \(row.cells.count) cells but the header has \(header.count)"))
            }
            let fields = zip(header, row.cells).map { Record.Field(name: $0, value: $1) }
            var record = Record(encoding: .text, fields: fields)
            if row.lossyCells.isEmpty { record.sourceText = row.text }
            let (sample, source) = assembler.assemble(
                record: record, origin: origin, fallbackKey: String(row.line),
                ordinal: ordinal, lossyFields: row.lossyCells.map { header[$0] }, problems: &pending)
            ordinal += 1
            return .sample(sample, source)
        }
    }
}
