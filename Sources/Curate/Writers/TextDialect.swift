import Detect
import Foundation

/// How a delimited manifest spells its text: a UTF-8 byte order mark and the line ending. The cleaned CSV/TSV
/// is written in its input's dialect, so a file Excel wrote (BOM, CRLF) comes back as Excel reads it.
struct TextDialect: Sendable {
    var byteOrderMark = false
    var lineEnding = "\n"
    /// The input's header row: its names and its text as written (written back when the columns are the same).
    var header: (names: [String], text: String)?

    /// The dialect of the file at `path`, from its first line (plain text only; a compressed input or an
    /// unreadable file gives the default: no BOM, LF).
    static func of(file path: String) -> TextDialect {
        guard !path.lowercased().hasSuffix(".lz4"), let handle = FileHandle(forReadingAtPath: path) else {
            return TextDialect()
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 1 << 16)) ?? Data())
        var dialect = TextDialect()
        dialect.byteOrderMark = head.starts(with: [0xEF, 0xBB, 0xBF])
        if let newline = head.firstIndex(of: 0x0A), newline > 0, head[newline - 1] == 0x0D { dialect.lineEnding = "\r\n" }
        dialect.header = DelimitedTextReader.headerRow(path: path)
        return dialect
    }
}
