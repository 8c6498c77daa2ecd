/// The statistics of one term, with the term itself.
public struct TermStatistics: Sendable, Hashable {
    /// The normalized term ("van gogh").
    public var term: String
    /// Its id in the ``TermIndex`` the statistics were computed from.
    public var termID: Int32
    /// The DESIGN.md statistics.
    public var statistics: WordStatistics
    /// Size of the top cluster (live samples, weighted), the denominator of `consistency`.
    public var topClusterSize: Double

    public init(term: String, termID: Int32, statistics: WordStatistics, topClusterSize: Double) {
        self.term = term
        self.termID = termID
        self.statistics = statistics
        self.topClusterSize = topClusterSize
    }

    /// Whether these statistics make the term a word trigger under `thresholds`.
    public func isTrigger(_ thresholds: WordTriggerThresholds) -> Bool {
        statistics.support >= Double(thresholds.minSupport) && statistics.nTop >= Double(thresholds.minCopies)
            && statistics.topShare >= thresholds.minShare && statistics.qValue <= thresholds.alpha
    }
}

/// Word-level trigger statistics (DESIGN.md, "Trigger statistics"), as a pure function of the per-sample terms,
/// the per-sample cluster ids, optional weights and an optional alive mask, so the same code measures the input
/// and the planned output (samples removed: `alive`; captions rewritten: ``TermIndex/replacingCaptions(_:termizer:)``;
/// `reweight`: `weights`).
///
/// Definitions, for a term t with samples S_t (live samples only) and n_c = Σ weights of S_t in cluster c:
/// - `support` = Σ_{S_t} w; a term is tested when support ≥ `minSupport`.
/// - A *cluster* is a group of ≥ 2 live samples under the clustering; a sample alone (no cluster id, or the only
///   live member left of its cluster) is its own singleton. `dup_fraction` = share of support in clusters.
/// - `top_cluster` = the cluster with the largest n_c (ties: the smaller id); `n_top` = its n_c; when no sample of
///   t is in a cluster, `top_cluster` is nil and `n_top` is the largest single weight (1 without weights),
///   `consistency` then 1 (the sample is its own cluster).
/// - `top_share` = n_top / support; `consistency` = n_top / (weighted live size of the top cluster).
/// - `collision` = Σ_c (n_c² − Σ_{i∈c} w_i²) / (support² − Σ_i w_i²): the probability that two distinct samples of t,
///   drawn in proportion to weight, lie in one cluster. With unit weights this is exactly
///   Σ n_c(n_c − 1) / (|S_t|(|S_t| − 1)). 0 when support ≤ 1.
/// - `p_value`: the null hypothesis is that t's k live samples are a uniformly random k-subset of the N live
///   samples. The statistic is the largest count x of t's samples in any one cluster (unweighted: weights change how
///   much a sample counts, not where it sits). P(max_c X_c ≥ x) ≤ Σ_c P(X_c ≥ x), with X_c hypergeometric(N, |c|, k)
///   computed exactly in log space; the sum runs over the clusters of size ≥ x, grouped by size. This union bound
///   is conservative (a valid p-value) and tight in the tail that matters (x large, X_c rare). x ≤ 1 gives p = 1.
/// - `q_value`: Benjamini–Hochberg over all tested terms.
public struct WordTriggerMiner: Sendable {
    /// Terms with weighted support below this are not tested (and not returned).
    public var minSupport: Int

    public init(minSupport: Int) {
        self.minSupport = max(1, minSupport)
    }

    public init(thresholds: WordTriggerThresholds) {
        self.init(minSupport: thresholds.minSupport)
    }

    /// Statistics of every term with support ≥ `minSupport`, in term-id order.
    public func statistics(
        termIndex: TermIndex, clustering: Clustering, weights: [Double]? = nil, alive: [Bool]? = nil
    ) -> [TermStatistics] {
        statistics(termIndex: termIndex, clusterOf: clustering.clusterOf, weights: weights, alive: alive)
    }

    /// Statistics of every term with support ≥ `minSupport`, in term-id order.
    /// - Parameters:
    ///   - clusterOf: cluster id per sample ordinal (nil or negative: no near-duplicate), as in ``Clustering/clusterOf``.
    ///   - weights: per-sample weights (nil: all 1). A weight ≤ 0 takes the sample out, like `alive == false`.
    ///   - alive: per-sample mask of samples kept (nil: all).
    public func statistics(
        termIndex: TermIndex, clusterOf: [Int?], weights: [Double]? = nil, alive: [Bool]? = nil
    ) -> [TermStatistics] {
        let sampleCount = termIndex.sampleCount
        precondition(
            clusterOf.count == sampleCount, "clusterOf has \(clusterOf.count) entries for \(sampleCount) samples")
        precondition(weights.map { $0.count == sampleCount } ?? true, "weights do not match the samples")
        precondition(alive.map { $0.count == sampleCount } ?? true, "alive does not match the samples")

        @inline(__always) func weight(_ i: Int) -> Double {
            if let alive, !alive[i] { return 0 }
            if let weights { return weights[i] > 0 ? weights[i] : 0 }
            return 1
        }

        // Live cluster sizes (count and weight); clusters left with < 2 live members are singletons.
        var clusterCount = 0
        for id in clusterOf { if let id, id >= clusterCount { clusterCount = id + 1 } }
        var liveSize = [Int32](repeating: 0, count: clusterCount)
        var weightedSize = [Double](repeating: 0, count: clusterCount)
        var liveSamples = 0
        for i in 0..<sampleCount {
            let w = weight(i)
            if w <= 0 { continue }
            liveSamples += 1
            if let id = clusterOf[i], id >= 0 {
                liveSize[id] += 1
                weightedSize[id] += w
            }
        }
        // Cluster-size histogram for the union bound: (size, number of clusters), ascending size.
        var sizeCounts: [Int: Int] = [:]
        for size in liveSize where size >= 2 { sizeCounts[Int(size), default: 0] += 1 }
        let sizeHistogram = sizeCounts.sorted { $0.key < $1.key }

        // Support per term over live samples, and the tested terms.
        let termCount = termIndex.terms.count
        var support = [Double](repeating: 0, count: termCount)
        var postingCount = [Int](repeating: 0, count: termCount)
        for i in 0..<sampleCount {
            let w = weight(i)
            if w <= 0 { continue }
            for id in termIndex.termIDs(of: i) {
                support[Int(id)] += w
                postingCount[Int(id)] += 1
            }
        }
        var tested: [Int32] = []
        var slot = [Int32](repeating: -1, count: termCount)
        var postingOffsets: [Int] = [0]
        for id in 0..<termCount where Self.settled(support[id]) >= Double(minSupport) {
            slot[id] = Int32(tested.count)
            tested.append(Int32(id))
            postingOffsets.append(postingOffsets[postingOffsets.count - 1] + postingCount[id])
        }
        // Postings (sample ordinals) of tested terms, ascending within each term.
        var postings = [Int32](repeating: 0, count: postingOffsets[postingOffsets.count - 1])
        var fill = Array(postingOffsets.dropLast())
        for i in 0..<sampleCount {
            if weight(i) <= 0 { continue }
            for id in termIndex.termIDs(of: i) {
                let s = slot[Int(id)]
                if s < 0 { continue }
                postings[fill[Int(s)]] = Int32(i)
                fill[Int(s)] += 1
            }
        }

        var results: [TermStatistics] = []
        results.reserveCapacity(tested.count)
        var clusterWeight = [Double](repeating: 0, count: clusterCount)
        var clusterSquares = [Double](repeating: 0, count: clusterCount)
        var clusterHits = [Int32](repeating: 0, count: clusterCount)
        var touched: [Int] = []
        // Many terms share (x, k), and the bound depends on nothing else: each distinct pair is computed once,
        // after the loop, on all cores.
        var boundOf: [Int64: Int] = [:]
        var bounds: [(maxHits: Int, termSamples: Int)] = []
        var boundIndex: [Int] = []
        boundIndex.reserveCapacity(tested.count)
        for (s, id) in tested.enumerated() {
            touched.removeAll(keepingCapacity: true)
            var total = 0.0
            var squares = 0.0
            var inClusters = 0.0
            var bestSingle = 0.0
            var liveCount = 0
            for index in postingOffsets[s]..<postingOffsets[s + 1] {
                let i = Int(postings[index])
                let w = weight(i)
                total += w
                squares += w * w
                liveCount += 1
                if let c = clusterOf[i], c >= 0, liveSize[c] >= 2 {
                    if clusterHits[c] == 0 { touched.append(c) }
                    clusterWeight[c] += w
                    clusterSquares[c] += w * w
                    clusterHits[c] += 1
                    inClusters += w
                } else if w > bestSingle {
                    bestSingle = w
                }
            }
            var top: Int? = nil
            var nTop = 0.0
            var maxHits: Int32 = liveCount > 0 ? 1 : 0
            var collisionNumerator = 0.0
            for c in touched {
                let n = clusterWeight[c]
                collisionNumerator += n * n - clusterSquares[c]
                if n > nTop || (n == nTop && c < (top ?? .max)) {
                    nTop = n
                    top = c
                }
                maxHits = max(maxHits, clusterHits[c])
                clusterWeight[c] = 0
                clusterSquares[c] = 0
                clusterHits[c] = 0
            }
            var topSize: Double
            if let top {
                topSize = weightedSize[top]
            } else {
                nTop = bestSingle
                topSize = bestSingle
            }
            let denominator = total * total - squares
            let collision = denominator > 1e-12 ? max(0, collisionNumerator / denominator) : 0
            let boundKey = Int64(maxHits) << 32 | Int64(liveCount)
            if let known = boundOf[boundKey] {
                boundIndex.append(known)
            } else {
                boundOf[boundKey] = bounds.count
                boundIndex.append(bounds.count)
                bounds.append((Int(maxHits), liveCount))
            }
            // Weighted sums carry rounding (7 copies of weight 3/7 add up to 2.9999999999999996): settled to 1e-9,
            // so a count the policy bounded compares and prints as the bound.
            if weights != nil {
                total = Self.settled(total)
                inClusters = Self.settled(inClusters)
                nTop = Self.settled(nTop)
                topSize = Self.settled(topSize)
            }
            let statistics = WordStatistics(
                support: total, dupFraction: total > 0 ? inClusters / total : 0, topCluster: top, nTop: nTop,
                topShare: total > 0 ? nTop / total : 0, consistency: topSize > 0 ? nTop / topSize : 0,
                collision: collision, pValue: 1, qValue: 1)
            results.append(
                TermStatistics(
                    term: termIndex.terms[Int(id)], termID: id, statistics: statistics, topClusterSize: topSize))
        }
        let boundValues = parallelMap(bounds.count) { b in
            WordTriggerMiner.unionBoundPValue(
                maxHits: bounds[b].maxHits, termSamples: bounds[b].termSamples, liveSamples: liveSamples,
                sizeHistogram: sizeHistogram)
        }
        let pValues = boundIndex.map { boundValues[$0] }
        let q = BenjaminiHochberg.qValues(pValues)
        for index in results.indices {
            results[index].statistics.pValue = pValues[index]
            results[index].statistics.qValue = q[index]
        }
        return results
    }

    /// `x` rounded to 1e-9: a sum of weights without its floating-point rounding error.
    static func settled(_ x: Double) -> Double { (x * 1e9).rounded() / 1e9 }

    /// The terms of `statistics` that are word triggers under `thresholds`, in the same order.
    public static func triggers(_ statistics: [TermStatistics], thresholds: WordTriggerThresholds) -> [TermStatistics] {
        statistics.filter { $0.isTrigger(thresholds) }
    }

    /// Σ over clusters of size ≥ x of P(X_c ≥ x), capped at 1 (see the type's documentation).
    static func unionBoundPValue(
        maxHits x: Int, termSamples k: Int, liveSamples n: Int, sizeHistogram: [(key: Int, value: Int)]
    ) -> Double {
        if x <= 1 { return 1 }
        var sum = 0.0
        // log C(n, k), the same for every size: up to 2,000 logarithms computed once, not once a size.
        let logDrawings = Hypergeometric.logChoose(n, k)
        for (size, clusters) in sizeHistogram where size >= x {
            sum += Double(clusters)
                * Hypergeometric.upperTail(x, population: n, successes: size, draws: k, logDrawings: logDrawings)
            if sum >= 1 { return 1 }
        }
        return min(1, sum)
    }
}
