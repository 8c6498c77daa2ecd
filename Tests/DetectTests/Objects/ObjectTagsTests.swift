import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ObjectTagsTests {
    let keys = ["a": 0, "b": 1, "c": 2, "d": 3, "e": 4, "7": 5]

    func read(minScore: Double = 0.5) throws -> ObjectTags {
        try ObjectTags.read(
            url: Fixtures.url("objects/objects.jsonl"), ordinalOfKey: keys, sampleCount: 6, minScore: minScore)
    }

    @Test("tags of two sources merge per sample: labels of both, covered where either covers")
    func merging() throws {
        let url = try Fixtures.temporaryFolder().appendingPathComponent("objects.jsonl")
        // The file covers samples 0 and 1 only; the zero-shot tags cover all three.
        try Data(#"{"key": "a", "objects": ["logo"]}\#n{"key": "b", "objects": ["flag", "logo"]}\#n"#.utf8).write(to: url)
        let file = try ObjectTags.read(url: url, ordinalOfKey: ["a": 0, "b": 1, "c": 2], sampleCount: 3)
        let concepts = ObjectTags(labelsPerSample: [["flag"], ["flag"], []])
        let merged = file.merged(with: concepts)
        #expect(merged.labels(of: 0).sorted() == ["flag", "logo"])
        #expect(merged.labels(of: 1).sorted() == ["flag", "logo"])
        #expect(merged.labels(of: 2).isEmpty)
        #expect(merged.covered == [true, true, true])
        #expect(file.covered == [true, true, false])
    }

    @Test("reads both label lists and scored detections, lowercased, lines for one key adding up")
    func reads() throws {
        let tags = try read()
        #expect(tags.sampleCount == 6)
        #expect(Set(tags.labels(of: 0)) == ["flag", "person"])
        #expect(tags.labels(of: 1) == ["flag"])  // the dog scored 0.3 < 0.5
        #expect(Set(tags.labels(of: 2)) == ["tree", "car"])
        #expect(tags.labels(of: 3) == [])
        #expect(tags.labels(of: 5) == ["tree"])  // numeric key, label trimmed and lowercased
        // "d" and "e" only had malformed lines: their objects are unknown.
        #expect(tags.covered == [true, true, true, false, false, true])
    }

    @Test("the score threshold is a parameter")
    func scoreThreshold() throws {
        #expect(Set(try read(minScore: 0.2).labels(of: 1)) == ["flag", "dog"])
        // The detections left out are counted, so the run can say so.
        #expect(try read(minScore: 0.2).belowScore < read().belowScore)
        #expect(try read(minScore: -1).belowScore == 0)
    }

    @Test("malformed lines are problems with file and line; unknown keys are reported")
    func problems() throws {
        let tags = try read()
        let lines = tags.problems.map { $0.origin.line }
        #expect(lines == [6, 7, 8, 9, 10])
        #expect(tags.problems.allSatisfy { $0.kind == .malformedObjects })
        #expect(tags.problems.allSatisfy { $0.origin.file.hasSuffix("objects/objects.jsonl") })
        #expect(tags.unknownKeys.map(\.key) == ["zz"])
        #expect(tags.unknownKeys.first?.origin.line == 5)
    }

    @Test("a malformed line names its sample's key when the key can be read")
    func malformedLineKeys() throws {
        let tags = try read()
        // Line 6 holds a string for objects, 8 a number among labels, 9 invalid UTF-8 in a label: keys d, e, e.
        // Lines 7 (not JSON) and 10 (no key field) have none to name.
        #expect(tags.problems.map(\.key) == ["d", nil, "e", "e", nil])
        #expect(tags.problems.first?.description.contains("objects.jsonl:6 (key d)") == true)
    }

    @Test("a missing file is a typed error, not a crash")
    func missingFile() {
        #expect(throws: ObjectTagsError.self) {
            try ObjectTags.read(url: Fixtures.url("objects/none.jsonl"), ordinalOfKey: [:], sampleCount: 0)
        }
    }
}
