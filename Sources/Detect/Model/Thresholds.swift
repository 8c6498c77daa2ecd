/// When two images count as near-duplicates (the policy's `detect` section). A nil threshold turns that evidence off.
public struct DetectThresholds: Sendable, Hashable {
    /// Equal content hashes always link.
    public var exact: Bool = true
    /// Over every view, off-centre crop views included. pHash bits are balanced (32 ones), so distances are even
    /// and 7 acts as 6. Measured through `NearDuplicateClusterer` on the real-photo benchmark
    /// (Tests/DetectTests/Clustering/NearDuplicateClusterEval.swift, CURATE_NEARDUP_SWEEP=1): with PDQ 50, pHash 6
    /// gives pair P 0.963 R 0.952 F1 0.958 (14 groups merged with another); 8 gives F1 0.946 but 47 groups merged.
    public var phashMaxDistance: Int? = 6
    public var dhashMaxDistance: Int? = nil
    /// Over the as-is, mirrored, trimmed and centred views. Same benchmark, with pHash 6: 31 -> F1 0.957, 50 -> 0.958,
    /// 70 -> 0.955 (17 groups merged), 80 -> 0.947 (39 merged). Alone (no pHash) PDQ reaches only F1 0.83: it does
    /// not tolerate the shift of a crop.
    public var pdqMaxDistance: Int? = 50
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
