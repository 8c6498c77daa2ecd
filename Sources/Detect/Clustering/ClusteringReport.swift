/// What clustering found besides the clusters, for logs, `stats.json` and benchmarks.
public struct ClusteringReport: Sendable, Hashable {
    /// Linked pairs per kind of evidence (exact pairs inside byte-identical groups are not enumerated).
    public var linksByEvidence: [Evidence: Int] = [:]
    /// Samples in groups of byte-identical files (size ≥ 2).
    public var exactDuplicateSamples = 0
    /// Embedding rows that were skipped as evidence (NaN/Inf or all zero).
    public var invalidEmbeddingRows: [InvalidEmbeddingRow] = []
    /// How the embedding search ran, when it ran.
    public var embeddingSearch: EmbeddingPairSearch.Report?
    /// Connected components of the link graph (size ≥ 2) that the chaining guard split.
    public var splitComponents = 0
    /// Seconds spent per stage (`exact`, `phash`, `dhash`, `pdq`, `embedding`, `clusters`).
    public var seconds: [String: Double] = [:]

    public init() {}
}
