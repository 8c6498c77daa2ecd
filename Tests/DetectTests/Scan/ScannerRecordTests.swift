import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ScannerRecordTests {
    func scan(_ relative: String, kept: Set<String>?) throws -> ScanResult {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = ScanOptions(jobs: 2)
        options.keptRecordFields = kept
        var reader = try DatasetReader(inputs: [readerFixture(relative)])
        let index = try FeatureIndex(path: folder.appendingPathComponent("index.sqlite").path)
        return try Scanner(index: index, options: options).scan(&reader)
    }

    @Test("kept record fields: only the selected fields stay per sample; every field name is listed once, first seen first")
    func keepsSelectedFields() throws {
        let whole = try scan("manifests/basic.jsonl", kept: nil)
        let lean = try scan("manifests/basic.jsonl", kept: ["score", "id"])
        #expect(whole.samples.count == lean.samples.count)
        #expect(whole.samples.count >= 2)
        #expect(whole.samples[0].sample.record.fields.count == 7)
        #expect(lean.samples[0].sample.record.fields.map(\.name) == ["score"])
        #expect(lean.samples[0].sample.record["score"] == "1.50")
        #expect(lean.samples[1].sample.record.fields.map(\.name) == ["id"])
        // Keys, captions and features do not depend on the kept fields.
        #expect(lean.samples.map(\.sample.key) == whole.samples.map(\.sample.key))
        #expect(lean.samples.map(\.sample.caption) == whole.samples.map(\.sample.caption))
        #expect(lean.samples.map(\.features) == whole.samples.map(\.features))
        let names = ["key", "image", "caption", "score", "meta", "note", "big", "url", "TEXT", "id"]
        #expect(Array(lean.fieldNames.prefix(names.count)) == names)
        #expect(lean.fieldNames == whole.fieldNames)
        #expect(Set(lean.fieldNames).count == lean.fieldNames.count)
    }

    @Test("a shard read without image bytes yields the same samples and records, with empty image bytes")
    func shardWithoutImageBytes() throws {
        let path = readerFixture("shards/00000.tar")
        let full = try readAll(try WebDatasetReader(path: path))
        var lean = try WebDatasetReader(path: path)
        lean.readsImageBytes = false
        let replay = try readAll(lean)
        #expect(replay.samples == full.samples)
        #expect(replay.sources.allSatisfy { $0.bytes?.isEmpty == true })
        #expect(full.sources.allSatisfy { ($0.bytes?.count ?? 0) > 0 })
    }
}
