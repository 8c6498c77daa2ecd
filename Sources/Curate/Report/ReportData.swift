import Foundation

/// Everything the HTML report shows, read from the files of one `curate audit|apply --out DIR` folder.
///
/// Each part is optional or empty when its file is absent, so a partial folder still yields a report that says
/// what is missing.
public struct ReportData: Sendable, Hashable {
    /// `clusters.jsonl`, in file order.
    public var clusters: [ReportCluster]
    /// `triggers.json`.
    public var wordTriggers: [ReportWordTrigger]
    public var objectTriggers: [ReportObjectTrigger]
    /// `stats.json`.
    public var stats: ReportStats?
    /// `changes.jsonl`, in file order.
    public var changes: [ReportChange]
    /// `removed.jsonl`, in file order.
    public var removed: [ReportRemoval]
    /// `run.json`.
    public var run: ReportRun?
    /// Names of the expected files that were not in the folder, sorted.
    public var missingFiles: [String]

    public init(
        clusters: [ReportCluster] = [], wordTriggers: [ReportWordTrigger] = [], objectTriggers: [ReportObjectTrigger] = [],
        stats: ReportStats? = nil, changes: [ReportChange] = [], removed: [ReportRemoval] = [], run: ReportRun? = nil,
        missingFiles: [String] = []
    ) {
        self.clusters = clusters
        self.wordTriggers = wordTriggers
        self.objectTriggers = objectTriggers
        self.stats = stats
        self.changes = changes
        self.removed = removed
        self.run = run
        self.missingFiles = missingFiles
    }
}

/// One line of `clusters.jsonl`.
public struct ReportCluster: Sendable, Hashable, Decodable {
    public var id: Int
    public var size: Int
    public var members: [String]
    public var representative: String?
    /// Evidence names as written (`exact`, `phash`, `dhash`, `pdq`, `embedding`; unknown names are kept).
    public var evidence: [String]

    public init(id: Int, size: Int, members: [String], representative: String? = nil, evidence: [String] = []) {
        self.id = id
        self.size = size
        self.members = members
        self.representative = representative
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey { case id, size, members, representative, evidence }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        members = (try? container.decodeIfPresent([String].self, forKey: .members)) ?? []
        size = (try? container.decodeIfPresent(Int.self, forKey: .size)) ?? members.count
        representative = try? container.decodeIfPresent(String.self, forKey: .representative)
        evidence = (try? container.decodeIfPresent([String].self, forKey: .evidence)) ?? []
    }
}

/// Word-trigger statistics as written in `triggers.json`; every number is optional so a partial file still reads.
public struct ReportWordStats: Sendable, Hashable, Decodable {
    public var support: Double?
    public var dupFraction: Double?
    public var topCluster: Int?
    public var nTop: Double?
    public var topShare: Double?
    public var consistency: Double?
    public var collision: Double?
    public var pValue: Double?
    public var qValue: Double?

    public init(
        support: Double? = nil, dupFraction: Double? = nil, topCluster: Int? = nil, nTop: Double? = nil,
        topShare: Double? = nil, consistency: Double? = nil, collision: Double? = nil, pValue: Double? = nil,
        qValue: Double? = nil
    ) {
        self.support = support
        self.dupFraction = dupFraction
        self.topCluster = topCluster
        self.nTop = nTop
        self.topShare = topShare
        self.consistency = consistency
        self.collision = collision
        self.pValue = pValue
        self.qValue = qValue
    }

    enum CodingKeys: String, CodingKey {
        case support, consistency, collision
        case dupFraction = "dup_fraction", topCluster = "top_cluster", nTop = "n_top", topShare = "top_share"
        case pValue = "p_value", qValue = "q_value"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        support = c.lenientDouble(.support)
        dupFraction = c.lenientDouble(.dupFraction)
        topCluster = c.lenientInt(.topCluster)
        nTop = c.lenientDouble(.nTop)
        topShare = c.lenientDouble(.topShare)
        consistency = c.lenientDouble(.consistency)
        collision = c.lenientDouble(.collision)
        pValue = c.lenientDouble(.pValue)
        qValue = c.lenientDouble(.qValue)
    }
}

/// Object-trigger statistics as written in `triggers.json`.
public struct ReportObjectStats: Sendable, Hashable, Decodable {
    public var support: Double?
    public var withObject: Double?
    public var confidence: Double?
    public var baseRate: Double?
    public var lift: Double?
    public var mentionRate: Double?
    public var pValue: Double?
    public var qValue: Double?

    public init(
        support: Double? = nil, withObject: Double? = nil, confidence: Double? = nil, baseRate: Double? = nil,
        lift: Double? = nil, mentionRate: Double? = nil, pValue: Double? = nil, qValue: Double? = nil
    ) {
        self.support = support
        self.withObject = withObject
        self.confidence = confidence
        self.baseRate = baseRate
        self.lift = lift
        self.mentionRate = mentionRate
        self.pValue = pValue
        self.qValue = qValue
    }

    enum CodingKeys: String, CodingKey {
        case support, confidence, lift
        case withObject = "with_object", baseRate = "base_rate", mentionRate = "mention_rate"
        case pValue = "p_value", qValue = "q_value"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        support = c.lenientDouble(.support)
        withObject = c.lenientDouble(.withObject)
        confidence = c.lenientDouble(.confidence)
        baseRate = c.lenientDouble(.baseRate)
        lift = c.lenientDouble(.lift)
        mentionRate = c.lenientDouble(.mentionRate)
        pValue = c.lenientDouble(.pValue)
        qValue = c.lenientDouble(.qValue)
    }
}

/// One entry of `triggers.json` `word`.
public struct ReportWordTrigger: Sendable, Hashable, Decodable {
    public var term: String
    public var before: ReportWordStats
    /// Projected statistics after the policy; nil when the policy does not act on this trigger.
    public var after: ReportWordStats?
    /// Keys of samples in the top cluster that carry the term, when the writer listed them.
    public var examples: [String]
    /// Captions carrying the term, when the writer listed them.
    public var captions: [String]

    public init(
        term: String, before: ReportWordStats, after: ReportWordStats? = nil, examples: [String] = [], captions: [String] = []
    ) {
        self.term = term
        self.before = before
        self.after = after
        self.examples = examples
        self.captions = captions
    }

    enum CodingKeys: String, CodingKey { case term, before, after, examples, captions }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        term = try c.decode(String.self, forKey: .term)
        before = (try? c.decodeIfPresent(ReportWordStats.self, forKey: .before)) ?? ReportWordStats()
        after = try? c.decodeIfPresent(ReportWordStats.self, forKey: .after)
        examples = (try? c.decodeIfPresent([String].self, forKey: .examples)) ?? []
        captions = (try? c.decodeIfPresent([String].self, forKey: .captions)) ?? []
    }
}

/// One entry of `triggers.json` `object`.
public struct ReportObjectTrigger: Sendable, Hashable, Decodable {
    public var term: String
    public var object: String
    public var before: ReportObjectStats
    public var after: ReportObjectStats?
    /// Keys of samples with the term whose image shows the object, when the writer listed them.
    public var examples: [String]

    public init(
        term: String, object: String, before: ReportObjectStats, after: ReportObjectStats? = nil, examples: [String] = []
    ) {
        self.term = term
        self.object = object
        self.before = before
        self.after = after
        self.examples = examples
    }

    enum CodingKeys: String, CodingKey { case term, object, before, after, examples }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        term = try c.decode(String.self, forKey: .term)
        object = (try? c.decodeIfPresent(String.self, forKey: .object)) ?? ""
        before = (try? c.decodeIfPresent(ReportObjectStats.self, forKey: .before)) ?? ReportObjectStats()
        after = try? c.decodeIfPresent(ReportObjectStats.self, forKey: .after)
        examples = (try? c.decodeIfPresent([String].self, forKey: .examples)) ?? []
    }
}

/// The whole of `triggers.json`.
struct ReportTriggersFile: Decodable {
    var word: [ReportWordTrigger]
    var object: [ReportObjectTrigger]

    enum CodingKeys: String, CodingKey { case word, object }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        word = try c.decodeIfPresent([ReportWordTrigger].self, forKey: .word) ?? []
        object = try c.decodeIfPresent([ReportObjectTrigger].self, forKey: .object) ?? []
    }
}

/// Dataset-level counts on one side of `stats.json`.
public struct ReportCounts: Sendable, Hashable, Decodable {
    public var samples: Int?
    public var duplicates: Int?
    public var clusters: Int?
    public var wordTriggers: Int?
    public var objectTriggers: Int?
    /// Input problems by kind (`stats.json` names, e.g. `corrupt_image`).
    public var errors: [String: Int]
    /// What the policy did, when this side records it (curate writes these under `after`).
    public var kept: Int?
    public var removed: Int?
    /// Kept samples whose caption some rule rewrote (a sample counts once, however many rules rewrote it).
    public var rewritten: Int?
    /// Kept samples that carry a `weight` the policy set (`rebalance` with `method: reweight`).
    public var reweighted: Int?
    /// Those reweighted samples by the rule that set or multiplied their weight.
    public var reweightedByRule: [String: Int] = [:]

    public init(
        samples: Int? = nil, duplicates: Int? = nil, clusters: Int? = nil, wordTriggers: Int? = nil,
        objectTriggers: Int? = nil, errors: [String: Int] = [:]
    ) {
        self.samples = samples
        self.duplicates = duplicates
        self.clusters = clusters
        self.wordTriggers = wordTriggers
        self.objectTriggers = objectTriggers
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case samples, duplicates, clusters, errors, triggers, kept, removed, rewritten, reweighted
        case wordTriggers = "word_triggers", objectTriggers = "object_triggers"
        case reweightedByRule = "reweighted_by_rule"
    }

    /// `"triggers": {"word": N, "object": N}`, the form curate writes.
    enum TriggerKeys: String, CodingKey { case word, object }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        samples = c.lenientInt(.samples)
        duplicates = c.lenientInt(.duplicates)
        clusters = c.lenientInt(.clusters)
        let nested = try? c.nestedContainer(keyedBy: TriggerKeys.self, forKey: .triggers)
        wordTriggers = c.lenientInt(.wordTriggers) ?? nested?.lenientInt(.word)
        objectTriggers = c.lenientInt(.objectTriggers) ?? nested?.lenientInt(.object)
        errors = (try? c.decodeIfPresent([String: Int].self, forKey: .errors)) ?? [:]
        kept = c.lenientInt(.kept)
        removed = c.lenientInt(.removed)
        rewritten = c.lenientInt(.rewritten)
        reweighted = c.lenientInt(.reweighted)
        reweightedByRule = (try? c.decodeIfPresent([String: Int].self, forKey: .reweightedByRule)) ?? [:]
    }
}

/// `stats.json`.
public struct ReportStats: Sendable, Hashable, Decodable {
    public var before: ReportCounts
    public var after: ReportCounts?
    public var kept: Int?
    public var removed: Int?
    /// Kept samples with a rewritten caption (`changes.jsonl` has a line per rule that rewrote one).
    public var rewritten: Int?
    /// Kept samples the policy gave a `weight`.
    public var reweighted: Int?
    /// `audit` or `apply`.
    public var mode: String?

    public init(
        before: ReportCounts, after: ReportCounts? = nil, kept: Int? = nil, removed: Int? = nil, rewritten: Int? = nil,
        reweighted: Int? = nil, mode: String? = nil
    ) {
        self.before = before
        self.after = after
        self.kept = kept
        self.removed = removed
        self.rewritten = rewritten
        self.reweighted = reweighted
        self.mode = mode
    }

    /// Reweighted samples by rule (from `after`).
    public var reweightedByRule: [String: Int] { after?.reweightedByRule ?? [:] }

    enum CodingKeys: String, CodingKey { case before, after, kept, removed, rewritten, reweighted, mode }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        before = (try? c.decodeIfPresent(ReportCounts.self, forKey: .before)) ?? ReportCounts()
        after = try? c.decodeIfPresent(ReportCounts.self, forKey: .after)
        kept = c.lenientInt(.kept) ?? after?.kept
        removed = c.lenientInt(.removed) ?? after?.removed
        rewritten = c.lenientInt(.rewritten) ?? after?.rewritten
        reweighted = c.lenientInt(.reweighted) ?? after?.reweighted
        mode = try? c.decodeIfPresent(String.self, forKey: .mode)
    }
}

/// One line of `changes.jsonl`: a caption rewrite.
public struct ReportChange: Sendable, Hashable, Decodable {
    public var key: String
    public var before: String
    public var after: String
    public var rule: String

    public init(key: String, before: String, after: String, rule: String) {
        self.key = key
        self.before = before
        self.after = after
        self.rule = rule
    }

    enum CodingKeys: String, CodingKey { case key, before, after, rule }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        before = (try? c.decodeIfPresent(String.self, forKey: .before)) ?? ""
        after = (try? c.decodeIfPresent(String.self, forKey: .after)) ?? ""
        rule = (try? c.decodeIfPresent(String.self, forKey: .rule)) ?? "unnamed"
    }
}

/// One line of `removed.jsonl`: the original record's key and caption, and why it was dropped.
public struct ReportRemoval: Sendable, Hashable {
    /// The sample key, or nil when the record has no recognisable key field.
    public var key: String?
    /// The record's caption, when it has one under a known caption field.
    public var caption: String?
    public var reason: String
    public var rule: String
    public var cluster: Int?

    public init(key: String?, caption: String? = nil, reason: String, rule: String, cluster: Int? = nil) {
        self.key = key
        self.caption = caption
        self.reason = reason
        self.rule = rule
        self.cluster = cluster
    }
}

/// `run.json`.
public struct ReportRun: Sendable, Hashable, Decodable {
    public struct Policy: Sendable, Hashable, Decodable {
        public var name: String?
        public var path: String?
        public var hash: String?

        public init(name: String? = nil, path: String? = nil, hash: String? = nil) {
            self.name = name
            self.path = path
            self.hash = hash
        }

        enum CodingKeys: String, CodingKey { case name, path, hash, file }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try? c.decodeIfPresent(String.self, forKey: .name)
            path = (try? c.decodeIfPresent(String.self, forKey: .path)) ?? (try? c.decodeIfPresent(String.self, forKey: .file))
            hash = try? c.decodeIfPresent(String.self, forKey: .hash)
        }
    }

    public struct Input: Sendable, Hashable, Decodable {
        public var path: String
        public var digest: String?

        public init(path: String, digest: String? = nil) {
            self.path = path
            self.digest = digest
        }
    }

    public var tool: String?
    public var version: String?
    public var mode: String?
    public var policy: Policy?
    /// The seed as written (a number or a string).
    public var seed: String?
    public var inputs: [Input]
    /// Seconds per stage, shown sorted by stage name.
    public var timings: [String: Double]

    public init(
        tool: String? = "curate", version: String? = nil, mode: String? = nil, policy: Policy? = nil, seed: String? = nil,
        inputs: [Input] = [], timings: [String: Double] = [:]
    ) {
        self.tool = tool
        self.version = version
        self.mode = mode
        self.policy = policy
        self.seed = seed
        self.inputs = inputs
        self.timings = timings
    }

    enum CodingKeys: String, CodingKey {
        case tool, version, mode, policy, seed, inputs, timings, command
        case toolVersion = "tool_version"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tool = (try? c.decodeIfPresent(String.self, forKey: .tool)) ?? "curate"
        version = (try? c.decodeIfPresent(String.self, forKey: .version)) ?? (try? c.decodeIfPresent(String.self, forKey: .toolVersion))
        mode = (try? c.decodeIfPresent(String.self, forKey: .mode)) ?? (try? c.decodeIfPresent(String.self, forKey: .command))
        policy = try? c.decodeIfPresent(Policy.self, forKey: .policy)
        if let number = try? c.decodeIfPresent(Int.self, forKey: .seed) {
            seed = String(number)
        } else {
            seed = try? c.decodeIfPresent(String.self, forKey: .seed)
        }
        inputs = (try? c.decodeIfPresent([Input].self, forKey: .inputs)) ?? []
        timings = (try? c.decodeIfPresent([String: Double].self, forKey: .timings)) ?? [:]
    }
}

extension KeyedDecodingContainer {
    /// The number under `key`, or nil when it is absent, null or not a number.
    func lenientDouble(_ key: Key) -> Double? {
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return value }
        // NaN and infinities cannot be JSON numbers; writers that spell them as strings still read.
        if let text = try? decodeIfPresent(String.self, forKey: key) { return Double(text) }
        return nil
    }

    /// The integer under `key`, or nil; a whole-valued float such as `3.0` counts.
    func lenientInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Double.self, forKey: key), value.isFinite, value == value.rounded(),
            abs(value) < 1e15
        {
            return Int(value)
        }
        return nil
    }
}
