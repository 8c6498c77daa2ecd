import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ScannerRecordTests {
    func scan(_ relative: String, kept: Set<String>?, features: Bool = true) throws -> ScanResult {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = ScanOptions(jobs: 2)
        options.keptRecordFields = kept
        options.keepsFeatures = features
        var reader = try DatasetReader(inputs: [readerFixture(relative)])
        let index = try FeatureIndex(path: folder.appendingPathComponent("index.sqlite").path)
        return try Scanner(index: index, options: options).scan(&reader)
    }

    @Test("kept record fields: only the selected fields stay per sample; every field name is listed once, first seen first")
    func keepsSelectedFields() throws {
        let whole = try scan("manifests/basic.jsonl", kept: nil)
        let lean = try scan("manifests/basic.jsonl", kept: ["score", "id"])
        let none = try scan("manifests/basic.jsonl", kept: [])
        #expect(whole.count == lean.count)
        #expect(whole.count >= 2)
        #expect(whole.record(of: 0).fields.count == 7)
        #expect(whole.record(of: 0).sourceText?.hasPrefix("{\"key\": \"cat\"") == true)
        #expect(lean.record(of: 0).fields.map(\.name) == ["score"])
        #expect(lean.record(of: 0)["score"] == "1.50")
        #expect(lean.record(of: 0).sourceText == nil)
        #expect(lean.record(of: 1).fields.map(\.name) == ["id"])
        #expect(none.records.isEmpty && none.record(of: 1).fields.isEmpty)
        // Keys, captions and features do not depend on the kept fields.
        #expect(lean.keys == whole.keys && none.keys == whole.keys)
        #expect(lean.captions == whole.captions)
        #expect((0..<lean.count).map { lean.features[$0] } == (0..<whole.count).map { whole.features[$0] })
        // A scan that only counts keeps no features, and counts the same.
        let counting = try scan("manifests/basic.jsonl", kept: [], features: false)
        #expect(counting.features.count == 0 && counting.count == whole.count && whole.features.count == whole.count)
        #expect(counting.keys == whole.keys && counting.imageProblems == whole.imageProblems)
        #expect(counting.problemCounts == whole.problemCounts && counting.imagesCached + counting.imagesDecoded > 0)
        let names = ["key", "image", "caption", "score", "meta", "note", "big", "url", "TEXT", "id"]
        #expect(Array(lean.fieldNames.prefix(names.count)) == names)
        #expect(lean.fieldNames == whole.fieldNames)
        #expect(Set(lean.fieldNames).count == lean.fieldNames.count)
    }

    @Test("kept fields that few rows have hold records only up to the last row with one")
    func sparseKeptFields() throws {
        let lean = try scan("manifests/basic.jsonl", kept: ["id"])
        let absent = try scan("manifests/basic.jsonl", kept: ["no-such-field"])
        #expect(lean.record(of: 0).fields.isEmpty)
        #expect(lean.record(of: 1)["id"] != nil)
        #expect(lean.records.count <= lean.count && lean.records.count >= 2)
        #expect((lean.records.count..<lean.count).allSatisfy { lean.record(of: $0).fields.isEmpty })
        #expect(absent.records.isEmpty)
        #expect((0..<absent.count).allSatisfy { absent.record(of: $0).fields.isEmpty })
    }

    @Test("rows that name one image file share one slot of features; missing images have none")
    func sharedImagesShareASlot() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        for name in ["cat.jpg", "astronaut.jpg"] {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: readerFixture("manifests/images/" + name)),
                to: folder.appendingPathComponent("images/" + name))
        }
        // A byte-identical copy under another name is the same image too.
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("images/cat.jpg"), to: folder.appendingPathComponent("images/cat-copy.jpg"))
        let images = ["cat.jpg", "astronaut.jpg", "cat.jpg", "gone.jpg", "cat-copy.jpg", "astronaut.jpg"]
        let lines = images.enumerated().map { #"{"key": "k\#($0)", "image": "images/\#($1)", "caption": "c"}"# }
        let manifest = folder.appendingPathComponent("m.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: manifest)
        var reader = try DatasetReader(inputs: [manifest.path])
        let index = try FeatureIndex(path: folder.appendingPathComponent("index.sqlite").path)
        var result = try Scanner(index: index).scan(&reader)
        #expect(result.features.slots == [0, 1, 0, -1, 0, 1])
        #expect(result.features.imageCount == 2)
        #expect(result.imageProblems[3] != nil && result.features[3] == nil)
        #expect(result.features[4] == result.features[0])
        #expect(result.features.sharedImageGroups == [[0, 2, 4], [1, 5]])

        // The scan let go of its content-hash lookup; a sample appended afterwards still finds its image's slot.
        var extended = result.features
        extended.append(result.features[1])
        extended.append(nil)
        #expect(extended.slots == [0, 1, 0, -1, 0, 1, 1, -1])
        #expect(extended.imageCount == 2)

        // Once clustering is done the run keeps only each image's size and quality, with the same slots.
        let cat = try #require(result.features[0])
        let astronaut = try #require(result.features[1])
        let facts = result.releaseFeatures()
        #expect(result.features.count == 0 && result.count == 6)
        #expect(facts.count == 6 && facts.images.count == 2)
        #expect(facts[3] == nil)
        for ordinal in [0, 2, 4] {
            #expect(
                facts[ordinal]
                    == ImageFacts(
                        width: cat.width, height: cat.height, pdqQuality: cat.hashes.pdqQuality, format: cat.format,
                        byteCount: cat.byteCount))
            #expect(facts[ordinal]?.format == .jpeg)
            #expect(facts[ordinal]?.bytesPerPixel == Double(Float32(Double(cat.byteCount) / Double(cat.width * cat.height))))
        }
        #expect(facts[5]?.width == astronaut.width && facts[5]?.height == astronaut.height)
        #expect(facts[5]?.pdqQuality == astronaut.hashes.pdqQuality)
        #expect(facts.sharedImageGroups == [[0, 2, 4], [1, 5]])
        #expect(MemoryLayout<ImageFacts>.stride == 24, "the format and bytes per pixel fit in padding")
    }

    @Test("shared-image groups come out ascending and ordered by first member, for any interleaving of slots")
    func sharedGroupsOrder() {
        let slots: [Int32] = [3, -1, 0, 3, 2, 0, 1, 3, -1, 2]
        let facts = SampleImageFacts(slots: slots, images: Array(repeating: ImageFacts(width: 1, height: 1, pdqQuality: 0), count: 4))
        #expect(facts.sharedImageGroups == [[0, 3, 7], [2, 5], [4, 9]])
        let clamped = ImageFacts(width: Int(Int32.max) + 5, height: -3, pdqQuality: 300)
        #expect(clamped.width == Int(Int32.max) && clamped.height == -3 && clamped.pdqQuality == 255)
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
