import Detect

/// `triggers.json`: every trigger with its statistics before the policy and after it.
public struct TriggersReport: Sendable, Hashable {
    public struct WordEntry: Sendable, Hashable {
        public var term: String
        public var before: WordStatistics
        /// The statistics over the kept samples and their rewritten captions (support 0 when no kept caption carries
        /// the term); nil only in reports written before this was measured for every trigger.
        public var after: WordStatistics?
        /// Keys of samples that carry the term in its top cluster (a few, for the report's gallery).
        public var examples: [String]

        public init(term: String, before: WordStatistics, after: WordStatistics?, examples: [String] = []) {
            self.term = term
            self.before = before
            self.after = after
            self.examples = examples
        }
    }

    public struct ObjectEntry: Sendable, Hashable {
        public var term: String
        public var object: String
        public var before: ObjectStatistics
        public var after: ObjectStatistics?
        /// Keys of samples whose caption has the term and whose image shows the object (a few).
        public var examples: [String]

        public init(term: String, object: String, before: ObjectStatistics, after: ObjectStatistics?, examples: [String] = []) {
            self.term = term
            self.object = object
            self.before = before
            self.after = after
            self.examples = examples
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
                        "after": entry.after.map(Self.json) ?? .null, "examples": .array(entry.examples.map { .string($0) }),
                    ])
                }),
            "object": .array(
                object.map { entry in
                    .sorted([
                        "term": .string(entry.term), "object": .string(entry.object), "before": Self.json(entry.before),
                        "after": entry.after.map(Self.json) ?? .null, "examples": .array(entry.examples.map { .string($0) }),
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
