import CurateTestSupport
import Foundation
import Testing

/// Scanning a dataset in shards into separate indexes, then merging them, gives an index that makes a full scan
/// decode nothing.
@Suite struct IndexMergeTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("two shard indexes merge into one that serves a whole scan from the cache")
    func shardsMerge() throws {
        let demo = try Fixtures.demoCopy()
        let work = demo.deletingLastPathComponent()
        let manifest = demo.appendingPathComponent("manifest.jsonl").path
        var decodedInShards = 0
        for shard in 0..<2 {
            let result = try CurateBinary.run([
                "scan", manifest, "--shard", "\(shard)/2", "--index", work.appendingPathComponent("part\(shard).sqlite").path,
                "--json", "--quiet",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            decodedInShards += try json(result.stdout)["images_decoded"] as? Int ?? -1
        }
        #expect(decodedInShards > 0)
        let merged = work.appendingPathComponent("merged.sqlite").path
        let merge = try CurateBinary.run([
            "index", "merge", work.appendingPathComponent("part0.sqlite").path,
            work.appendingPathComponent("part1.sqlite").path, "--index", merged, "--json", "--quiet",
        ])
        #expect(merge.status == 0, "\(merge.stderr)")
        let counts = try json(merge.stdout)
        #expect(counts["images_added"] as? Int == decodedInShards)
        #expect(counts["images"] as? Int == decodedInShards)

        let full = try CurateBinary.run(["scan", manifest, "--index", merged, "--json", "--quiet"])
        #expect(full.status == 0, "\(full.stderr)")
        let summary = try json(full.stdout)
        #expect(summary["images_decoded"] as? Int == 0)
        #expect(summary["images_cached"] as? Int == decodedInShards)
    }

    @Test("a source that is missing or not an index stops with exit 2 and names it, leaving no index behind")
    func badSource() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes.txt")
        try Data("hello, this is not SQLite at all, it is plain text of some length".utf8).write(to: notes)
        let destination = folder.appendingPathComponent("dest.sqlite").path
        for source in [folder.appendingPathComponent("absent.sqlite").path, notes.path] {
            let result = try CurateBinary.run(["index", "merge", source, "--index", destination])
            #expect(result.status == 2)
            #expect(result.stderr.contains(source), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("absent.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: destination))
    }

    /// Both races are covered: switching the new file to WAL ("locked", exit 2 before) and applying one migration
    /// twice ("table image already exists", exit 1 before; about 1 round in 13 under load).
    @Test("two scans creating one index at the same time both succeed (one waits for the other)")
    func concurrentCreation() throws {
        let demo = try Fixtures.demoCopy()
        let manifest = demo.appendingPathComponent("manifest.jsonl").path
        for round in 0..<6 {
            let index = demo.deletingLastPathComponent().appendingPathComponent("shared-\(round).sqlite").path
            let logs = (0..<2).map { demo.deletingLastPathComponent().appendingPathComponent("scan-\(round)-\($0).log") }
            let processes = try logs.map { log in
                FileManager.default.createFile(atPath: log.path, contents: nil)
                let process = Process()
                process.executableURL = CurateBinary.url
                process.arguments = ["scan", manifest, "--index", index, "--quiet"]
                process.standardError = try FileHandle(forWritingTo: log)
                return process
            }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            // Before, one of them often failed at once with "database is locked" (exit 2).
            let stderr = try logs.map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: " | ")
            #expect(processes.map(\.terminationStatus) == [0, 0], "round \(round): \(stderr)")
        }
    }
}
