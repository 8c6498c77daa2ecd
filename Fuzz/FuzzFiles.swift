import Detect
import Foundation

/// One scratch file per fuzzing process, rewritten for each input (the readers under test take paths).
enum FuzzFiles {
    nonisolated(unsafe) static var folder: String?

    static func write(_ data: Data, suffix: String) -> String {
        if folder == nil {
            let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            let made = base + "/curate-fuzz-\(getpid())"
            try? FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true)
            folder = made
        }
        let path = folder! + "/input" + suffix
        _ = FileManager.default.createFile(atPath: path, contents: data)
        return path
    }

    /// Reads `reader` to the end; a reader still yielding after a million items on a `size`-byte input is a bug.
    static func drain(_ reader: inout some SampleReader, size: Int) {
        var items = 0
        while (try? reader.next()) != nil {
            items += 1
            if items > 1_000_000 { fatalError("reader does not stop on a \(size)-byte input") }
        }
    }
}
