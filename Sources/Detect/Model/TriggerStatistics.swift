/// Word-level trigger statistics of one term (DESIGN.md, "Trigger statistics"); field names are the contract's.
public struct WordStatistics: Sendable, Hashable, Codable {
    /// |S_t|: samples whose caption contains the term (weighted when weights are given).
    public var support: Double
    /// Share of S_t that lies in clusters of size ≥ 2.
    public var dupFraction: Double
    /// Id of the cluster holding most samples of the term, nil when none is in a cluster.
    public var topCluster: Int?
    /// Samples of the term in the top cluster.
    public var nTop: Double
    public var topShare: Double
    /// n_top / |top cluster|.
    public var consistency: Double
    /// Chance that two random samples of the term are copies of each other.
    public var collision: Double
    public var pValue: Double
    public var qValue: Double

    public init(
        support: Double, dupFraction: Double, topCluster: Int?, nTop: Double, topShare: Double,
        consistency: Double, collision: Double, pValue: Double, qValue: Double
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
        case support, collision, consistency
        case dupFraction = "dup_fraction", topCluster = "top_cluster", nTop = "n_top", topShare = "top_share"
        case pValue = "p_value", qValue = "q_value"
    }
}

/// Object-level trigger statistics of one (term, object) pair.
public struct ObjectStatistics: Sendable, Hashable, Codable {
    /// Samples whose caption contains the term.
    public var support: Double
    /// Samples of the term whose image shows the object.
    public var withObject: Double
    /// P(object | term).
    public var confidence: Double
    /// P(object) over the whole dataset.
    public var baseRate: Double
    public var lift: Double
    /// Share of samples with term and object whose caption names the object.
    public var mentionRate: Double
    public var pValue: Double
    public var qValue: Double

    public init(
        support: Double, withObject: Double, confidence: Double, baseRate: Double, lift: Double,
        mentionRate: Double, pValue: Double, qValue: Double
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
}
