/// When two images count as near-duplicates (the policy's `detect` section). A nil threshold turns that evidence off.
public struct DetectThresholds: Sendable, Hashable {
    /// Equal content hashes always link.
    public var exact: Bool = true
    public var phashMaxDistance: Int? = 10
    public var dhashMaxDistance: Int? = nil
    public var pdqMaxDistance: Int? = 31
    public var embeddingMinCosine: Double? = 0.92

    public init() {}
}

/// When a term is a word-level trigger (the policy's `triggers.word` section).
public struct WordTriggerThresholds: Sendable, Hashable {
    public var minSupport: Int = 10
    public var minCopies: Int = 10
    public var minShare: Double = 0.3
    public var alpha: Double = 0.01

    public init() {}
}

/// When a (term, object) pair is an object-level trigger (the policy's `triggers.object` section).
public struct ObjectTriggerThresholds: Sendable, Hashable {
    public var minSupport: Int = 20
    public var minConfidence: Double = 0.3
    public var minLift: Double = 3
    public var maxMentionRate: Double = 0.2
    public var alpha: Double = 0.01
    /// Cosine above which a concept embedding counts as present in an image (zero-shot objects).
    public var conceptMinCosine: Double = 0.25

    public init() {}
}
