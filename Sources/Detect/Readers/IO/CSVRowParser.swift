/// A byte-level RFC 4180 parser: quoted cells, doubled quotes, delimiters and newlines inside quotes,
/// `\r\n` or `\n` row ends, and a leading UTF-8 byte order mark. Reads the source in large chunks.
///
/// It reads what Python's `csv` module reads: a quote inside an unquoted cell is text, and text after a closing
/// quote continues the cell (`"ok"trailing` is `oktrailing`). Where quotes are lenient (a tab delimiter: most TSV
/// files do not quote at all) a cell like `"hello" world` is the text it reads as, quotes included. A quote left
/// open to the end of the file ends with the line it was opened on, the row says so, and the rows after it are read
/// again as rows (Python would read the rest of the file as one cell).
final class CSVRowParser {
    /// One parsed row.
    struct Row {
        var cells: [String]
        /// 1-based line on which the row starts.
        var line: Int
        /// Indices of cells that held invalid UTF-8 (decoded with U+FFFD).
        var lossyCells: [Int]
        /// What was wrong with the row's quoting and how it was read anyway, if anything.
        var problem: String?
        /// The row's bytes as they stand in the file, without its line ending, so an untouched row can be written
        /// back byte for byte.
        var bytes: [UInt8]
    }

    private let source: any ByteSource
    /// The delimiter: given, or told from the header line on the first read (``detectDelimiter(in:)``).
    private(set) var delimiter: UInt8
    private var detectsDelimiter: Bool
    /// Quotes are lenient with a tab delimiter (see the type's summary).
    private var lenientQuotes: Bool { delimiter == 0x09 }
    private var buffer: UnsafeMutableRawBufferPointer
    private var position = 0
    private var end = 0
    private var ended = false
    private var line = 1
    private var atStart = true

    /// - Parameter delimiter: the cell delimiter; nil tells it from the header line (comma, semicolon or tab).
    init(source: any ByteSource, delimiter: UInt8?, chunkSize: Int = 1 << 20) {
        self.source = source
        self.delimiter = delimiter ?? UInt8(ascii: ",")
        detectsDelimiter = delimiter == nil
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The delimiter of a header line: of comma, semicolon and tab, the one that splits it into the most cells
    /// outside quotes (comma on a tie, and when none occurs).
    static func detectDelimiter(in header: some Sequence<UInt8>) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09]
        var counts = [0, 0, 0]
        var quoted = false
        for byte in header {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == 0x0A, !quoted {
                break
            } else if !quoted, let index = candidates.firstIndex(of: byte) {
                counts[index] += 1
            }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        return counts[best] == 0 ? candidates[0] : candidates[best]
    }

    @inline(__always)
    private func nextByte() throws(ByteReadError) -> UInt8? {
        if position == end {
            if ended { return nil }
            let count = try source.read(into: buffer)
            if count == 0 {
                ended = true
                return nil
            }
            position = 0
            end = count
        }
        let byte = buffer[position]
        position += 1
        return byte
    }

    @inline(__always)
    private func peekByte() throws(ByteReadError) -> UInt8? {
        guard let byte = try nextByte() else { return nil }
        position -= 1
        return byte
    }

    /// The next row that is not blank, or nil at the end.
    func nextRow() throws(ByteReadError) -> Row? {
        if atStart {
            atStart = false
            if try peekByte() == 0xEF, end - position >= 3, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
                position += 3
            }
            // The first chunk holds the header line (1 MiB; a longer header is told from its first MiB).
            if detectsDelimiter { delimiter = Self.detectDelimiter(in: buffer[position..<end]) }
        }
        while true {
            let start = line
            guard let row = try parseRow() else { return nil }
            if row.cells.count == 1, row.cells[0].isEmpty, row.problem == nil, !row.quoted { continue }
            return Row(cells: row.cells, line: start, lossyCells: row.lossy, problem: row.problem, bytes: row.raw)
        }
    }

    private struct RawRow {
        var cells: [String] = []
        var lossy: [Int] = []
        var problem: String?
        var quoted = false
        /// Every byte of the row, line ending excluded.
        var raw: [UInt8] = []
    }

    /// Where the first line break inside the open quoted cell is: the place to end it at if it never closes.
    private struct QuotedBreak {
        /// Index of the `\n` in the row's bytes, and the cell's length before it.
        var rawIndex: Int
        var cellCount: Int
        /// The line the `\n` ends.
        var line: Int
    }

    private func parseRow() throws(ByteReadError) -> RawRow? {
        guard try peekByte() != nil else { return nil }
        var row = RawRow()
        var cell: [UInt8] = []
        cell.reserveCapacity(256)
        var quoted = false
        var afterQuote = false
        var cellStart = true
        /// Where the current cell starts in `row.raw`.
        var cellRawStart = 0
        var quotedBreak: QuotedBreak?

        func finishCell() {
            let (text, valid) = UTF8Text.decode(cell)
            if !valid { row.lossy.append(row.cells.count) }
            row.cells.append(text)
            cell.removeAll(keepingCapacity: true)
            quoted = false
            afterQuote = false
            cellStart = true
            cellRawStart = row.raw.count
        }

        while let byte = try nextByte() {
            row.raw.append(byte)
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if try peekByte() == UInt8(ascii: "\"") {
                        position += 1
                        row.raw.append(byte)
                        cell.append(byte)
                    } else {
                        quoted = false
                        afterQuote = true
                        quotedBreak = nil
                    }
                } else {
                    if byte == 0x0A {
                        if quotedBreak == nil {
                            quotedBreak = QuotedBreak(rawIndex: row.raw.count - 1, cellCount: cell.count, line: line)
                        }
                        line += 1
                    }
                    cell.append(byte)
                }
                continue
            }
            switch byte {
            case delimiter:
                finishCell()
            case 0x0A:
                line += 1
                row.raw.removeLast()
                if row.raw.last == 0x0D { row.raw.removeLast() }
                if !afterQuote, cell.last == 0x0D { cell.removeLast() }
                finishCell()
                return row
            case 0x0D where afterQuote:
                if try peekByte() != 0x0A { cell.append(byte) }
            case UInt8(ascii: "\"") where cellStart:
                quoted = true
                row.quoted = true
                cellStart = false
            default:
                if afterQuote, lenientQuotes, !row.raw[cellRawStart...].contains(0x0A) {
                    // Not a quoted cell after all: the cell is its text as written, quotes included.
                    cell = Array(row.raw[cellRawStart...])
                } else {
                    // As Python reads it: text after the closing quote goes on the cell, and quotes after it are text.
                    cell.append(byte)
                }
                afterQuote = false
                cellStart = false
            }
        }
        if quoted {
            let column = row.cells.count + 1
            if let quotedBreak {
                // The quote is taken to end with its line, and the bytes after that line are read again as rows.
                // Once is enough: every quote after the break was paired with another before the end of the file,
                // so no quoted cell opened in them is left open.
                let rest = Array(row.raw[(quotedBreak.rawIndex + 1)...])
                row.raw.removeSubrange(quotedBreak.rawIndex...)
                if row.raw.last == 0x0D { row.raw.removeLast() }
                cell.removeSubrange(quotedBreak.cellCount...)
                if cell.last == 0x0D { cell.removeLast() }
                line = quotedBreak.line + 1
                replay(rest)
                row.problem =
                    "the quote that opens cell \(column) on line \(quotedBreak.line) is never closed; the cell is"
                    + (rest.isEmpty
                        ? " read to the end of the file"
                        : " taken to end with that line, and the lines after it are read as rows")
            } else {
                row.problem =
                    "the quote that opens cell \(column) is never closed; the cell is read to the end of the file"
            }
        }
        finishCell()
        return row
    }

    /// Makes `bytes` the next ones read; only called at the end of the source, when the buffer is used up.
    private func replay(_ bytes: [UInt8]) {
        if bytes.count > buffer.count {
            buffer.deallocate()
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        position = 0
        end = bytes.count
    }
}
