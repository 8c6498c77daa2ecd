import Detect
import Foundation

/// The `stats` command's result: the strongest word and object terms with their statistics.
public struct StatisticsTable {
    public var analysis: DatasetAnalysis
    public var top: Int

    public init(analysis: DatasetAnalysis, top: Int) {
        self.analysis = analysis
        self.top = top
    }

    /// The (term, object) pairs that are object triggers.
    var objectTriggerPairs: Set<ObjectPair> { Set(analysis.objectTriggers.map { ObjectPair($0.term, $0.object) }) }

    /// Word terms ranked by their copies in one cluster, then share, then name: triggers first.
    var words: [TermStatistics] {
        let triggers = Set(analysis.wordTriggers.map(\.term))
        return analysis.wordStatistics.sorted {
            let a = (triggers.contains($0.term) ? 1 : 0, $0.statistics.nTop, $0.statistics.topShare)
            let b = (triggers.contains($1.term) ? 1 : 0, $1.statistics.nTop, $1.statistics.topShare)
            return a != b ? a > b : $0.term < $1.term
        }.prefix(top).map { $0 }
    }

    var objects: [TermObjectStatistics] {
        let triggers = objectTriggerPairs
        return analysis.objectStatistics.sorted {
            let a = (triggers.contains(ObjectPair($0.term, $0.object)) ? 1 : 0, $0.statistics.lift, $0.statistics.confidence)
            let b = (triggers.contains(ObjectPair($1.term, $1.object)) ? 1 : 0, $1.statistics.lift, $1.statistics.confidence)
            return a != b ? a > b : ($0.term, $0.object) < ($1.term, $1.object)
        }.prefix(top).map { $0 }
    }

    /// `{"samples", "clusters", "errors", "word": [...], "object": [...]}` with the contract's field names.
    public var json: String {
        let wordTriggers = Set(analysis.wordTriggers.map(\.term))
        let objectTriggers = objectTriggerPairs
        let value = JSONValue.sorted([
            "samples": .int(analysis.scan.count),
            "clusters": .int(analysis.clustering.clusters.count),
            "errors": .int(analysis.problems.count),
            "triggers": .sorted(["word": .int(analysis.wordTriggers.count), "object": .int(analysis.objectTriggers.count)]),
            "word": .array(words.map { entry in
                .sorted([
                    "term": .string(entry.term), "trigger": .bool(wordTriggers.contains(entry.term)),
                    "statistics": TriggersReport.json(entry.statistics),
                ])
            }),
            "object": .array(objects.map { entry in
                .sorted([
                    "term": .string(entry.term), "object": .string(entry.object),
                    "trigger": .bool(objectTriggers.contains(ObjectPair(entry.term, entry.object))),
                    "statistics": TriggersReport.json(entry.statistics),
                ])
            }),
        ])
        return value.pretty
    }

    /// Aligned text tables for people.
    public var text: String {
        let wordTriggers = Set(analysis.wordTriggers.map(\.term))
        var lines = [
            "\(analysis.scan.count) samples, \(analysis.clustering.clusters.count) near-duplicate clusters, "
                + "\(analysis.wordTriggers.count) word triggers, \(analysis.objectTriggers.count) object triggers",
            "",
            pad(["term", "support", "n_top", "top_share", "dup_frac", "collision", "q_value", ""]),
        ]
        for entry in words {
            let s = entry.statistics
            lines.append(pad([
                entry.term, number(s.support), number(s.nTop), fixed(s.topShare), fixed(s.dupFraction),
                fixed(s.collision), scientific(s.qValue), wordTriggers.contains(entry.term) ? "TRIGGER" : "",
            ]))
        }
        if !analysis.objectStatistics.isEmpty {
            let objectTriggers = objectTriggerPairs
            lines += ["", pad(["term", "object", "support", "confidence", "lift", "mention", "q_value", ""])]
            for entry in objects {
                let s = entry.statistics
                lines.append(pad([
                    entry.term, entry.object, number(s.support), fixed(s.confidence), fixed(s.lift), fixed(s.mentionRate),
                    scientific(s.qValue), objectTriggers.contains(ObjectPair(entry.term, entry.object)) ? "TRIGGER" : "",
                ]))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == 0 ? cell.padding(toLength: max(24, cell.count), withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(0, 11 - cell.count)) + cell
        }.joined()
    }

    private func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
    private func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
    private func scientific(_ value: Double) -> String { String(format: "%.1e", value) }
}
