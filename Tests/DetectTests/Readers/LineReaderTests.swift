import CurateTestSupport
import Foundation
import Testing

@testable import Detect

@Suite struct LineReaderTests {
    private func lines(of text: [UInt8], chunkSize: Int, maxLineLength: Int) throws -> [String] {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("lines.txt")
        try Data(text).write(to: url)
        let reader = LineReader(
            source: try FileByteSource(path: url.path), chunkSize: chunkSize, maxLineLength: maxLineLength)
        var result: [String] = []
        while let line = try reader.next() {
            switch line {
            case .bytes(let bytes): result.append("\(reader.lineNumber):" + String(decoding: bytes, as: UTF8.self))
            case .overlong: result.append("\(reader.lineNumber):<overlong>")
            }
        }
        return result
    }

    @Test(
        "splits lines across chunk boundaries, drops CR before LF, keeps a last line without newline",
        arguments: [1, 3, 7, 16, 4096])
    func splitsAcrossChunks(chunkSize: Int) throws {
        let text = Array("first line\r\n\nsecond, longer line that spans chunks\nx\r\nlast".utf8)
        #expect(
            try lines(of: text, chunkSize: chunkSize, maxLineLength: 1 << 20) == [
                "1:first line", "2:", "3:second, longer line that spans chunks", "4:x", "5:last",
            ])
    }

    @Test("a line longer than the cap is skipped whole and counted")
    func skipsOverlongLines() throws {
        let long = String(repeating: "y", count: 300)
        let text = Array("short\n\(long)\nafter\n\(long)".utf8)
        #expect(
            try lines(of: text, chunkSize: 16, maxLineLength: 64) == [
                "1:short", "2:<overlong>", "3:after", "4:<overlong>",
            ])
    }

    @Test("an empty file has no lines")
    func emptyFile() throws {
        #expect(try lines(of: [], chunkSize: 16, maxLineLength: 64).isEmpty)
    }
}
