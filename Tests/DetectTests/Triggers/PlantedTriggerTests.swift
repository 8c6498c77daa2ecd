import CurateTestSupport
import Detect
import Foundation
import Testing

/// A planted-trigger evaluation set written by `scripts/make-trigger-eval.py`.
struct PlantedSet: Decodable {
    struct Sample: Decodable {
        var key: String
        var caption: String
        var cluster: Int?
        var objects: [String]
    }
    struct PlantedWord: Decodable {
        var term: String
        var accept: [String]
    }
    struct Pair: Decodable {
        var term: String
        var object: String
        var kind: String?
    }
    struct DecoyWord: Decodable {
        var term: String
        var kind: String
    }
    struct Planted: Decodable {
        var word: [PlantedWord]
        var object: [Pair]
    }
    struct Decoys: Decodable {
        var word: [DecoyWord]
        var silentClusters: [Int]
        var object: [Pair]
        enum CodingKeys: String, CodingKey {
            case word, object
            case silentClusters = "silent_clusters"
        }
    }
    var seed: Int
    var samples: [Sample]
    var planted: Planted
    var decoys: Decoys
    var templates: [[Int]]

    static func load(_ url: URL) throws -> PlantedSet {
        try JSONDecoder().decode(PlantedSet.self, from: Data(contentsOf: url))
    }

    /// What mining found on this set with the default thresholds, scored against what was planted.
    struct Outcome {
        var wordTriggers: [TermStatistics]
        var objectTriggers: [TermObjectStatistics]
        var missedWords: [String]
        var missedObjects: [String]
        var flaggedDecoys: [String]
        var unexplainedWords: [String]
        var unexplainedObjects: [String]
        var captionGroups: [[Int]]

        var wordRecall: Double = 0
        var wordPrecision: Double = 0
        var objectRecall: Double = 0
        var objectPrecision: Double = 0
    }

    func mine() -> Outcome {
        let wordThresholds = WordTriggerThresholds()
        let objectThresholds = ObjectTriggerThresholds()
        let names = ObjectNames()
        let labels = Set(samples.flatMap(\.objects))
        let index = TermIndex.build(
            captions: samples.map(\.caption), minSupport: min(wordThresholds.minSupport, objectThresholds.minSupport),
            keeping: names.allNames(of: labels))
        let clusterOf = samples.map(\.cluster)
        let words = WordTriggerMiner(thresholds: wordThresholds).statistics(termIndex: index, clusterOf: clusterOf)
        let wordTriggers = WordTriggerMiner.triggers(words, thresholds: wordThresholds)
        let pairs = ObjectTriggerMiner(thresholds: objectThresholds, names: names).statistics(
            termIndex: index, objects: ObjectTags(labelsPerSample: samples.map(\.objects)))
        let objectTriggers = ObjectTriggerMiner.triggers(pairs, thresholds: objectThresholds)

        let flaggedWords = Set(wordTriggers.map(\.term))
        let flaggedPairs = Set(objectTriggers.map { "\($0.term)→\($0.object)" })
        let accepted = Set(planted.word.flatMap(\.accept))
        let plantedPairs = Set(planted.object.map { "\($0.term)→\($0.object)" })
        var decoysFlagged: [String] = []
        for decoy in decoys.word where flaggedWords.contains(decoy.term) { decoysFlagged.append(decoy.term) }
        for trigger in wordTriggers where trigger.statistics.topCluster.map(decoys.silentClusters.contains) == true {
            decoysFlagged.append("\(trigger.term) (silent cluster)")
        }
        for decoy in decoys.object where flaggedPairs.contains("\(decoy.term)→\(decoy.object)") {
            decoysFlagged.append("\(decoy.term)→\(decoy.object)")
        }
        var outcome = Outcome(
            wordTriggers: wordTriggers, objectTriggers: objectTriggers,
            missedWords: planted.word.map(\.term).filter { !flaggedWords.contains($0) },
            missedObjects: plantedPairs.sorted().filter { !flaggedPairs.contains($0) },
            flaggedDecoys: decoysFlagged,
            unexplainedWords: flaggedWords.sorted().filter { !accepted.contains($0) },
            unexplainedObjects: flaggedPairs.sorted().filter { !plantedPairs.contains($0) },
            captionGroups: CaptionMinHash().groups(of: samples.map(\.caption)))
        outcome.wordRecall = 1 - Double(outcome.missedWords.count) / Double(max(1, planted.word.count))
        outcome.wordPrecision =
            flaggedWords.isEmpty ? 1 : 1 - Double(outcome.unexplainedWords.count) / Double(flaggedWords.count)
        outcome.objectRecall = 1 - Double(outcome.missedObjects.count) / Double(max(1, plantedPairs.count))
        outcome.objectPrecision =
            flaggedPairs.isEmpty ? 1 : 1 - Double(outcome.unexplainedObjects.count) / Double(flaggedPairs.count)
        return outcome
    }
}

@Suite struct PlantedTriggerTests {
    @Test("every planted trigger is found and no decoy is flagged, with the default thresholds")
    func plantedSmall() throws {
        let set = try PlantedSet.load(Fixtures.url("triggers/planted-small.json"))
        let outcome = set.mine()
        #expect(outcome.missedWords == [])
        #expect(outcome.missedObjects == [])
        #expect(outcome.flaggedDecoys == [])
        #expect(outcome.unexplainedWords == [])
        #expect(outcome.unexplainedObjects == [])
        // Each template cluster's captions come out as one caption group.
        for template in set.templates {
            #expect(outcome.captionGroups.contains { Set($0).isSuperset(of: template) })
        }
    }

    /// Larger sets named in `CURATE_TRIGGER_EVAL` (comma-separated paths written by
    /// `scripts/make-trigger-eval.py --scale large`): prints precision and recall. Skipped when the variable is unset.
    @Test(
        "planted-trigger evaluation on larger generated sets",
        .enabled(if: ProcessInfo.processInfo.environment["CURATE_TRIGGER_EVAL"] != nil))
    func plantedLarge() throws {
        let paths = (ProcessInfo.processInfo.environment["CURATE_TRIGGER_EVAL"] ?? "").split(separator: ",")
        for path in paths {
            let set = try PlantedSet.load(URL(fileURLWithPath: String(path)))
            let start = Date()
            let outcome = set.mine()
            let seconds = Date().timeIntervalSince(start)
            let templatesFound = set.templates.filter { t in
                outcome.captionGroups.contains { Set($0).isSuperset(of: t) }
            }
            print(
                "EVAL seed=\(set.seed) samples=\(set.samples.count) word recall=\(outcome.wordRecall) precision=\(outcome.wordPrecision) "
                    + "object recall=\(outcome.objectRecall) precision=\(outcome.objectPrecision) "
                    + "decoys flagged=\(outcome.flaggedDecoys) templates grouped=\(templatesFound.count)/\(set.templates.count) "
                    + "unexplained=\(outcome.unexplainedWords + outcome.unexplainedObjects) missed=\(outcome.missedWords + outcome.missedObjects) "
                    + String(format: "time=%.2fs", seconds))
            #expect(outcome.flaggedDecoys == [])
        }
    }
}
