/// When two images count as near-duplicates (the policy's `detect` section). A nil threshold turns that evidence off.
public struct DetectThresholds: Sendable, Hashable {
    /// Equal content hashes always link.
    public var exact: Bool = true
    /// Over every view, off-centre crop and turned views included. pHash bits are balanced (32 ones), so distances
    /// are even and 7 acts as 6. Measured through `NearDuplicateClusterer` on the real-photo benchmark
    /// (Tests/DetectTests/Clustering/NearDuplicateClusterEval.swift, CURATE_NEARDUP_SWEEP=1): with PDQ 50, pHash 6
    /// gives pair P 0.963 R 0.951 F1 0.957 (16 groups merged with another); 8 gives F1 0.946 but 47 groups merged.
    public var phashMaxDistance: Int? = 6
    public var dhashMaxDistance: Int? = nil
    /// Over the as-is, mirrored, trimmed (as is and mirrored) and centred views; 31 is also Meta's own matching
    /// threshold. Same benchmark, with pHash 6 (measured before the mirrored trimmed view, feature encoding 4):
    /// 31 -> F1 0.956 (R 0.948), 40 -> 0.956, 50 -> 0.957 (R 0.951), off -> 0.954; PDQ alone reaches only
    /// F1 0.71-0.76 (it does not tolerate the shift of a crop). The last 0.001 of F1 is not worth 50: exact
    /// multi-index search at radius 50 over 256 bits probes about 12 times as many buckets, and at 100k images the
    /// PDQ search took 23.7 s at 50 against 3.2 s at 31 (scripts/bench.sh data). With the mirrored trimmed view
    /// (encoding 5) the defaults give P 0.964 R 0.957 F1 0.961.
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
    /// Score from which a scored detection of the `--objects` file counts as present (unscored tags always do).
    public var minScore: Double = 0.5

    public init() {}
}
