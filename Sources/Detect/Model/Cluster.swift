/// The kind of evidence that joined two samples into one near-duplicate cluster.
public enum Evidence: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case exact, phash, dhash, pdq, embedding

    public static func < (a: Evidence, b: Evidence) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A near-duplicate cluster of two or more samples.
public struct Cluster: Sendable, Hashable {
    /// Stable id: clusters are numbered by their smallest member ordinal, from 0.
    public var id: Int
    /// Member sample ordinals, ascending.
    public var members: [Int]
    /// The member that best stands for the cluster (the first member unless a better rule applies).
    public var representative: Int
    /// Every kind of evidence that linked members of this cluster.
    public var evidence: Set<Evidence>

    public init(id: Int, members: [Int], representative: Int, evidence: Set<Evidence>) {
        self.id = id
        self.members = members
        self.representative = representative
        self.evidence = evidence
    }
}

/// Near-duplicate clusters of a whole dataset.
public struct Clustering: Sendable, Hashable {
    /// Cluster id of each sample by ordinal, or nil for a sample with no near-duplicate.
    public var clusterOf: [Int?]
    /// Clusters of size ≥ 2, by id.
    public var clusters: [Cluster]
    /// The direct links the clusters were cut from, and the groups of byte-identical samples: what
    /// ``kept(_:)`` clusters again.
    public var links: NearDuplicateLinks
    public var exactGroups: [[Int]]

    public init(
        clusterOf: [Int?], clusters: [Cluster], links: NearDuplicateLinks = NearDuplicateLinks(), exactGroups: [[Int]] = []
    ) {
        self.clusterOf = clusterOf
        self.clusters = clusters
        self.links = links
        self.exactGroups = exactGroups
    }
}
