/// Why a sample was dropped, and by which action.
public struct Removal: Sendable, Hashable {
    /// A sentence for people, e.g. "duplicate of key 12 in cluster 3".
    public var reason: String
    /// The action that removed it, e.g. `actions[0].dedupe`.
    public var rule: String

    public init(reason: String, rule: String) {
        self.reason = reason
        self.rule = rule
    }
}

/// One caption rewrite.
public struct CaptionChange: Sendable, Hashable {
    public var before: String
    public var after: String
    public var rule: String

    public init(before: String, after: String, rule: String) {
        self.before = before
        self.after = after
        self.rule = rule
    }
}

/// What the plan does with one sample.
///
/// One is held for every row, and most rows are neither removed, rewritten nor reweighted: what only those carry
/// sits in a side value that the others do without (48 bytes a sample instead of 104).
public struct SampleDecision: Sendable, Hashable {
    public var key: String
    /// The caption to write (the original when nothing rewrote it).
    public var caption: String
    /// The caption's terms after the rewrites (terms whose words were rewritten out are gone).
    public var terms: [String]
    /// The removal, rewrites and weight, when there is any (one element at most).
    private var edits: [Edits] = []

    /// What actions did to a sample, apart from its caption and terms.
    private struct Edits: Sendable, Hashable {
        var removal: Removal?
        var changes: [CaptionChange] = []
        var weight: Double?
        var weightRules: [String] = []
    }

    public init(key: String, caption: String, terms: [String]) {
        self.key = key
        self.caption = caption
        self.terms = terms
    }

    /// Set when the sample is dropped.
    public var removal: Removal? {
        get { edits.first?.removal }
        set { edit { $0.removal = newValue } }
    }

    /// Every rewrite, in order.
    public var changes: [CaptionChange] {
        get { edits.first?.changes ?? [] }
        set { edit { $0.changes = newValue } }
    }

    /// Training weight set by `rebalance` with `method: reweight`; nil means 1 and untouched.
    public var weight: Double? {
        get { edits.first?.weight }
        set { edit { $0.weight = newValue } }
    }

    /// The rules that set or multiplied `weight`, in order (for the report's count of reweighted samples per rule).
    public var weightRules: [String] {
        get { edits.first?.weightRules ?? [] }
        set { edit { $0.weightRules = newValue } }
    }

    public var isKept: Bool { removal == nil }
    public var isRewritten: Bool { !changes.isEmpty }

    /// Changes the edits in place; edits that end up empty take no space again.
    private mutating func edit(_ change: (inout Edits) -> Void) {
        if edits.isEmpty { edits.append(Edits()) }
        change(&edits[0])
        if edits[0] == Edits() { edits = [] }
    }
}

/// What one action did.
public struct ActionSummary: Sendable, Hashable {
    public var rule: String
    public var removed: Int
    /// Samples whose caption this action rewrote (once each, however many of its terms it took out).
    public var rewritten: Int
    /// Samples this action gave a weight (or multiplied the one they had).
    public var reweighted: Int
    /// Terms whose `max_share` even the strongest cut (one copy per cluster) could not meet: their samples sit in
    /// too few clusters.
    public var unmetShare: [String] = []

    public init(rule: String, removed: Int = 0, rewritten: Int = 0, reweighted: Int = 0) {
        self.rule = rule
        self.removed = removed
        self.rewritten = rewritten
        self.reweighted = reweighted
    }
}

/// Per-sample decisions of a policy, in input order. Kept + removed = input, always.
public struct Plan: Sendable, Hashable {
    public var decisions: [SampleDecision]
    public var actions: [ActionSummary]

    public init(decisions: [SampleDecision], actions: [ActionSummary]) {
        self.decisions = decisions
        self.actions = actions
    }

    public var keptCount: Int { decisions.count { $0.isKept } }
    public var removedCount: Int { decisions.count { !$0.isKept } }
    /// Kept samples whose caption was rewritten.
    public var rewrittenCount: Int { decisions.count { $0.isKept && $0.isRewritten } }
    /// True when any sample got a weight, so writers add a `weight` column to every row.
    public var hasWeights: Bool { decisions.contains { $0.weight != nil } }

    /// The kept samples as the trigger miner needs them for the "after" statistics: input positions, current
    /// terms (rewritten-out terms dropped; words a rewrite inserted are not added, so re-normalizing
    /// `SampleDecision.caption` is more exact), cluster ids, and weights (the input's times the plan's).
    public func keptForStatistics(input: PlanInput) -> (
        indices: [Int], terms: [[String]], clusters: [Int?], weights: [Double]
    ) {
        let indices = decisions.indices.filter { decisions[$0].isKept }
        return (
            indices, indices.map { decisions[$0].terms }, indices.map { input.samples[$0].cluster },
            indices.map { input.samples[$0].weight * (decisions[$0].weight ?? 1) }
        )
    }
}
