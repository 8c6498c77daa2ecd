import Detect
import Foundation

/// How a delimited manifest spells its text: its delimiter, a UTF-8 byte order mark and the line ending. The cleaned
/// CSV/TSV is written in its input's dialect, so a file Excel wrote (BOM, CRLF, semicolons) comes back as Excel
/// reads it.
struct TextDialect: Sendable {
    var byteOrderMark = false
    var lineEnding = "\n"
    var delimiter: Character = ","
    /// The input's header row: its names and its bytes as written (written back when the columns are the same).
    var header: (names: [String], bytes: [UInt8])?

    init() {}

    /// The default dialect of `format`: a tab for TSV, a comma otherwise; no BOM, LF.
    init(format: ManifestFormat) {
        if format == .tsv { delimiter = "\t" }
    }

    /// The dialect of the file at `path`: its header row and delimiter, and from its first line a BOM and CRLF (plain
    /// text only; a compressed input has neither, an unreadable file gives the default for its name).
    static func of(file path: String) -> TextDialect {
        var dialect = TextDialect()
        if let header = DelimitedTextReader.headerRow(path: path) {
            dialect.header = header.bytes.map { (header.names, $0) }
            dialect.delimiter = header.delimiter
        } else {
            dialect.delimiter = DelimitedTextReader.delimiter(forPath: path) ?? ","
        }
        guard !path.lowercased().hasSuffix(".lz4"), let handle = FileHandle(forReadingAtPath: path) else {
            return dialect
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 1 << 16)) ?? Data())
        dialect.byteOrderMark = head.starts(with: [0xEF, 0xBB, 0xBF])
        if let newline = head.firstIndex(of: 0x0A), newline > 0, head[newline - 1] == 0x0D { dialect.lineEnding = "\r\n" }
        return dialect
    }
}
