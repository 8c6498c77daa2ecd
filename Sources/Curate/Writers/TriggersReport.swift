import Detect

/// `triggers.json`: every trigger with its statistics before the policy and after it.
public struct TriggersReport: Sendable, Hashable {
    public struct WordEntry: Sendable, Hashable {
        public var term: String
        public var before: WordStatistics
        /// nil when the term no longer occurs after the policy.
        public var after: WordStatistics?

        public init(term: String, before: WordStatistics, after: WordStatistics?) {
            self.term = term
            self.before = before
            self.after = after
        }
    }

    public struct ObjectEntry: Sendable, Hashable {
        public var term: String
        public var object: String
        public var before: ObjectStatistics
        public var after: ObjectStatistics?

        public init(term: String, object: String, before: ObjectStatistics, after: ObjectStatistics?) {
            self.term = term
            self.object = object
            self.before = before
            self.after = after
        }
    }

    public var word: [WordEntry]
    public var object: [ObjectEntry]

    public init(word: [WordEntry], object: [ObjectEntry]) {
        self.word = word
        self.object = object
    }

    public var json: JSONValue {
        .sorted([
            "word": .array(
                word.map { entry in
                    .sorted([
                        "term": .string(entry.term), "before": Self.json(entry.before),
                        "after": entry.after.map(Self.json) ?? .null,
                    ])
                }),
            "object": .array(
                object.map { entry in
                    .sorted([
                        "term": .string(entry.term), "object": .string(entry.object), "before": Self.json(entry.before),
                        "after": entry.after.map(Self.json) ?? .null,
                    ])
                }),
        ])
    }

    /// The file's content.
    public var text: String { json.pretty }

    /// Word statistics under the contract's field names (those of `WordStatistics`' Codable form).
    public static func json(_ s: WordStatistics) -> JSONValue {
        .sorted([
            "support": .number(s.support), "dup_fraction": .number(s.dupFraction),
            "top_cluster": s.topCluster.map { .int($0) } ?? .null, "n_top": .number(s.nTop),
            "top_share": .number(s.topShare),
            "consistency": .number(s.consistency), "collision": .number(s.collision), "p_value": .number(s.pValue),
            "q_value": .number(s.qValue),
        ])
    }

    /// Object statistics under the contract's field names (those of `ObjectStatistics`' Codable form).
    public static func json(_ s: ObjectStatistics) -> JSONValue {
        .sorted([
            "support": .number(s.support), "with_object": .number(s.withObject), "confidence": .number(s.confidence),
            "base_rate": .number(s.baseRate), "lift": .number(s.lift), "mention_rate": .number(s.mentionRate),
            "p_value": .number(s.pValue), "q_value": .number(s.qValue),
        ])
    }
}
