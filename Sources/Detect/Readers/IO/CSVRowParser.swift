/// A byte-level RFC 4180 parser: quoted cells, doubled quotes, delimiters and newlines inside quotes,
/// `\r\n` or `\n` row ends, and a leading UTF-8 byte order mark. Reads the source in large chunks.
///
/// A quote inside an unquoted cell is kept as text (common in real exports); text after a closing quote
/// marks the row malformed, unless quotes are lenient (TSV, where most files do not quote at all): then a cell
/// like `"hello" world` is the text it reads as, quotes included.
final class CSVRowParser {
    /// One parsed row.
    struct Row {
        var cells: [String]
        /// 1-based line on which the row starts.
        var line: Int
        /// Indices of cells that held invalid UTF-8 (decoded with U+FFFD).
        var lossyCells: [Int]
        /// Why the row is not well-formed CSV, if it is not.
        var malformation: String?
        /// The row as it stands in the file, without its line ending (nil when it is not valid UTF-8), so an
        /// untouched row can be written back byte for byte.
        var text: String?
    }

    private let source: any ByteSource
    private let delimiter: UInt8
    private let lenientQuotes: Bool
    private let buffer: UnsafeMutableRawBufferPointer
    private var position = 0
    private var end = 0
    private var ended = false
    private var line = 1
    private var atStart = true

    init(source: any ByteSource, delimiter: UInt8, lenientQuotes: Bool = false, chunkSize: Int = 1 << 20) {
        self.source = source
        self.delimiter = delimiter
        self.lenientQuotes = lenientQuotes
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

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
        }
        while true {
            let start = line
            guard let row = try parseRow() else { return nil }
            if row.cells.count == 1, row.cells[0].isEmpty, row.malformation == nil, !row.quoted { continue }
            let (text, valid) = UTF8Text.decode(row.raw)
            return Row(
                cells: row.cells, line: start, lossyCells: row.lossy, malformation: row.malformation,
                text: valid ? text : nil)
        }
    }

    private struct RawRow {
        var cells: [String] = []
        var lossy: [Int] = []
        var malformation: String?
        var quoted = false
        var line = 0
        /// Every byte of the row, line ending excluded.
        var raw: [UInt8] = []
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
                    }
                } else {
                    if byte == 0x0A { line += 1 }
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
                    afterQuote = false
                    cellStart = false
                    continue
                }
                if afterQuote, row.malformation == nil {
                    row.malformation = "text after a closing quote in cell \(row.cells.count + 1)"
                }
                cell.append(byte)
                cellStart = false
            }
        }
        if quoted {
            row.malformation = "unterminated quoted cell (the file ends inside quotes)"
        }
        finishCell()
        return row
    }
}
