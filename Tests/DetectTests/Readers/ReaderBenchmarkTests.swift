import CSV
import CurateTestSupport
import Detect
import Foundation
import Testing

/// Throughput of the readers on generated manifests outside the repo. Skipped unless
/// `CURATE_BENCH_READERS=1`; run with `scripts/bench-readers.sh` (release build).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CURATE_BENCH_READERS"] == "1"))
struct ReaderBenchmarkTests {
    static let rows = Int(ProcessInfo.processInfo.environment["CURATE_BENCH_ROWS"] ?? "") ?? 1_000_000

    /// Writes `rows` LAION-style lines (remote URLs, or local paths that all name one real image).
    static func makeJSONL(in folder: URL, local: Bool) throws -> URL {
        let url = folder.appendingPathComponent(local ? "local.jsonl" : "laion.jsonl")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var chunk = ""
        for row in 0..<rows {
            let image = local ? "images/cat.jpg" : "https://example.com/images/\(row).jpg"
            chunk +=
                #"{"key": "\#(String(format: "%09d", row))", "url": "\#(image)", "caption": "a photo of a cat number \#(row) sitting on a red sofa \u00e9", "width": 512, "height": 384, "similarity": 0.3123, "meta": {"nsfw": "UNLIKELY", "tags": ["cat", "sofa"]}}"#
                + "\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
        return url
    }

    static func makeCSV(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("laion.csv")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var chunk = "key,url,caption,width,height,similarity\n"
        for row in 0..<rows {
            chunk +=
                "\(String(format: "%09d", row)),https://example.com/images/\(row).jpg,\"a photo of a cat, number \(row), on a \"\"red\"\" sofa\",512,384,0.3123\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
        return url
    }

    static func measure(_ label: String, bytes: Int, _ body: () throws -> Int) rethrows {
        let start = Date()
        let count = try body()
        let seconds = Date().timeIntervalSince(start)
        let mb = Double(bytes) / 1_048_576
        print(
            String(
                format: "[bench-readers] %@: %d rows in %.3f s = %.0f rows/s, %.0f MB/s", label, count, seconds,
                Double(count) / seconds, mb / seconds))
    }

    static func drain(_ reader: some SampleReader) throws -> Int {
        var reader = reader
        var samples = 0
        while let item = try reader.next() {
            if case .sample = item { samples += 1 }
        }
        return samples
    }

    @Test("JSONL and CSV reading throughput")
    func throughput() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Fixtures.url("readers/manifests/images/cat.jpg"), to: folder.appendingPathComponent("images/cat.jpg"))

        let laion = try Self.makeJSONL(in: folder, local: false)
        let size = { (url: URL) in (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0 }
        try Self.measure("JSONLReader, remote URLs", bytes: size(laion)) {
            try Self.drain(try JSONLReader(path: laion.path))
        }
        try Self.measure("DatasetReader, remote URLs", bytes: size(laion)) {
            try Self.drain(try DatasetReader(inputs: [laion.path], fields: FieldNames()))
        }
        let local = try Self.makeJSONL(in: folder, local: true)
        try Self.measure("JSONLReader, local files (realpath each)", bytes: size(local)) {
            try Self.drain(try JSONLReader(path: local.path))
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/lz4")
        process.arguments = ["-q", "-f", laion.path, laion.path + ".lz4"]
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus == 0 {
            try Self.measure("JSONLReader, .jsonl.lz4", bytes: size(laion)) {
                try Self.drain(try JSONLReader(path: laion.path + ".lz4"))
            }
        }

        let csv = try Self.makeCSV(in: folder)
        try Self.measure("DelimitedTextReader (own parser), CSV", bytes: size(csv)) {
            try Self.drain(try DelimitedTextReader(path: csv.path, delimiter: ","))
        }
        try Self.measure("CSV.swift CSVReader, rows only (no samples)", bytes: size(csv)) {
            let reader = try CSVReader(stream: try #require(InputStream(fileAtPath: csv.path)), hasHeaderRow: true)
            var count = 0
            while reader.next() != nil { count += 1 }
            return count
        }
    }
}
