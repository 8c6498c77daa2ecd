import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ObjectTriggerMinerTests {
    /// "astronaut" in samples 0…4; a flag in samples 0…3 and 5; only sample 0's caption names the flag.
    let captions = [
        "astronaut with a flag on the moon", "astronaut on the moon", "astronaut portrait", "astronaut training",
        "astronaut suit", "flag pole", "beach", "forest", "city street", "mountain",
    ]
    let objects: [[String]] = [["flag"], ["flag"], ["flag"], ["flag"], [], ["flag"], [], [], [], []]

    func stats(weights: [Double]? = nil) throws -> ObjectStatistics {
        let names = ObjectNames()
        let index = TermIndex.build(captions: captions, keeping: names.allNames(of: ["flag"]))
        let all = ObjectTriggerMiner(minSupport: 1, names: names).statistics(
            termIndex: index, objects: ObjectTags(labelsPerSample: objects), weights: weights)
        return try #require(all.first { $0.term == "astronaut" && $0.object == "flag" }).statistics
    }

    @Test("pair statistics match the hand-computed values and scipy's Fisher p-value")
    func handComputed() throws {
        let s = try stats()
        #expect(s.support == 5)
        #expect(s.withObject == 4)
        #expect(s.confidence == 0.8)
        #expect(s.baseRate == 0.5)
        #expect(abs(s.lift - 1.6) < 1e-15)
        #expect(s.mentionRate == 0.25)
        // scipy.stats.hypergeom.sf(3, 10, 5, 5)
        #expect(abs(s.pValue - 0.1031746031746032) < 1e-12)
    }

    @Test("a term that names the object is not tested against it (its mention rate is 1 by definition)")
    func namingTermsSkipped() throws {
        let names = ObjectNames()
        let index = TermIndex.build(captions: captions, keeping: names.allNames(of: ["flag"]))
        let all = ObjectTriggerMiner(minSupport: 1, names: names).statistics(
            termIndex: index, objects: ObjectTags(labelsPerSample: objects))
        #expect(!all.contains { $0.object == "flag" && names.names(of: "flag").contains($0.term) })
        #expect(all.contains { $0.term == "pole" && $0.object == "flag" })
    }

    @Test("weights count as weighted sums")
    func weighted() throws {
        var weights = [Double](repeating: 1, count: 10)
        weights[0] = 0.5
        let s = try stats(weights: weights)
        #expect(s.support == 4.5)
        #expect(s.withObject == 3.5)
        #expect(abs(s.mentionRate - 0.5 / 3.5) < 1e-15)
        #expect(abs(s.baseRate - 4.5 / 9.5) < 1e-15)
    }

    @Test("samples the objects file does not cover are left out of object statistics")
    func uncovered() throws {
        let url = try Fixtures.temporaryFolder().appendingPathComponent("objects.jsonl")
        // Samples 6…9 have no line: the base rate counts over the 6 covered samples (flag in 5 of them).
        var lines: [String] = []
        for i in 0..<6 { lines.append(#"{"key": "k\#(i)", "objects": \#(objects[i])}"#) }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let keys = Dictionary(uniqueKeysWithValues: (0..<10).map { ("k\($0)", $0) })
        let tags = try ObjectTags.read(url: url, ordinalOfKey: keys, sampleCount: 10)
        let names = ObjectNames()
        let index = TermIndex.build(captions: captions, keeping: names.allNames(of: ["flag"]))
        let all = ObjectTriggerMiner(minSupport: 1, names: names).statistics(termIndex: index, objects: tags)
        let s = try #require(all.first { $0.term == "astronaut" && $0.object == "flag" }).statistics
        #expect(s.baseRate == 5.0 / 6.0)
        #expect(s.support == 5)
        #expect(s.confidence == 0.8)
    }

    @Test("names include built-in synonyms, plurals and caller synonyms")
    func names() {
        let names = ObjectNames(extraSynonyms: ["Flag": ["Star-Spangled Banner"]])
        let flag = Set(names.names(of: "flag"))
        #expect(flag.isSuperset(of: ["flag", "flags", "banner", "banners", "star spangled banner"]))
        #expect(Set(names.names(of: "dog")).isSuperset(of: ["dog", "dogs", "puppy", "puppies"]))
        #expect(Set(names.names(of: "teddy bear")).isSuperset(of: ["teddy bear", "teddy bears"]))
        #expect(Set(names.names(of: "box")).contains("boxes"))
        #expect(Set(names.names(of: "butterfly")).contains("butterflies"))
    }

    @Test("a hidden object is a trigger; a named one and one at its base rate are not")
    func triggerDecision() throws {
        var captions: [String] = []
        var objects: [[String]] = []
        for i in 0..<40 {
            captions.append("astronaut on a spacewalk \(i)")
            objects.append(i < 36 ? ["flag"] : [])
            captions.append("my dog in the park \(i)")
            objects.append(["dog"])
            captions.append("red car parked \(i)")
            objects.append(i % 10 == 0 ? ["car"] : [])
        }
        for i in 0..<400 {
            captions.append("street scene \(i)")
            objects.append(i % 20 == 0 ? ["flag", "car"] : (i % 10 == 0 ? ["car", "dog"] : []))
        }
        let names = ObjectNames()
        let index = TermIndex.build(
            captions: captions, minSupport: 20, keeping: names.allNames(of: ["flag", "dog", "car"]))
        let stats = ObjectTriggerMiner(minSupport: 20, names: names).statistics(
            termIndex: index, objects: ObjectTags(labelsPerSample: objects))
        let triggers = ObjectTriggerMiner.triggers(stats, thresholds: ObjectTriggerThresholds())
        let pairs = Set(triggers.map { "\($0.term)→\($0.object)" })
        #expect(pairs.contains("astronaut→flag"))
        #expect(pairs.contains("spacewalk→flag"))
        #expect(!pairs.contains { $0.hasSuffix("→dog") })
        #expect(!pairs.contains { $0.hasSuffix("→car") })
        let dog = try #require(stats.first { $0.term == "park" && $0.object == "dog" })
        #expect(dog.statistics.mentionRate == 1)
    }
}
