/// The statistics of one (term, object) pair.
public struct TermObjectStatistics: Sendable, Hashable {
    public var term: String
    public var termID: Int32
    /// The object label (lowercase).
    public var object: String
    public var objectID: Int32
    public var statistics: ObjectStatistics

    public init(term: String, termID: Int32, object: String, objectID: Int32, statistics: ObjectStatistics) {
        self.term = term
        self.termID = termID
        self.object = object
        self.objectID = objectID
        self.statistics = statistics
    }

    /// Whether the pair is an object trigger under `thresholds`.
    public func isTrigger(_ thresholds: ObjectTriggerThresholds) -> Bool {
        statistics.support >= Double(thresholds.minSupport) && statistics.confidence >= thresholds.minConfidence
            && statistics.lift >= thresholds.minLift && statistics.mentionRate <= thresholds.maxMentionRate
            && statistics.qValue <= thresholds.alpha
    }
}

/// Object-level trigger statistics (DESIGN.md, "Trigger statistics"): for a term t and an object o, how much more
/// often images of t show o than images at large, and how rarely their captions say so.
///
/// Over live samples (alive, weight > 0, covered by the objects file), with w the sample weight (1 without weights), S_t the samples of t and
/// O_o the samples whose image shows o:
/// - `support` = w(S_t), `with_object` = w(S_t ∩ O_o), `confidence` = with_object / support,
///   `base_rate` = w(O_o) / w(all), `lift` = confidence / base_rate;
/// - `mention_rate` = w(samples of S_t ∩ O_o whose caption holds a name of o) / with_object, names from
///   ``ObjectNames`` (they must be in the ``TermIndex``: build it keeping ``ObjectNames/allNames(of:)``);
/// - `p_value` = one-sided Fisher exact test, P(X ≥ |S_t ∩ O_o|) for X hypergeometric(N live, |O_o|, |S_t|) on
///   unweighted counts, exact in log space; `q_value` = Benjamini–Hochberg over all tested pairs.
/// A pair is tested when support ≥ `minSupport` and the term and object co-occur at least once (a pair that never
/// co-occurs has p = 1 and cannot be a trigger).
public struct ObjectTriggerMiner: Sendable {
    public var minSupport: Int
    public var names: ObjectNames

    public init(minSupport: Int, names: ObjectNames = ObjectNames()) {
        self.minSupport = max(1, minSupport)
        self.names = names
    }

    public init(thresholds: ObjectTriggerThresholds, names: ObjectNames = ObjectNames()) {
        self.init(minSupport: thresholds.minSupport, names: names)
    }

    /// Statistics of every tested (term, object) pair, ordered by term id then object id.
    public func statistics(
        termIndex: TermIndex, objects: ObjectTags, weights: [Double]? = nil, alive: [Bool]? = nil
    ) -> [TermObjectStatistics] {
        let sampleCount = termIndex.sampleCount
        precondition(
            objects.sampleCount == sampleCount, "objects cover \(objects.sampleCount) of \(sampleCount) samples")
        precondition(weights.map { $0.count == sampleCount } ?? true, "weights do not match the samples")
        precondition(alive.map { $0.count == sampleCount } ?? true, "alive does not match the samples")

        let covered = objects.covered
        @inline(__always) func weight(_ i: Int) -> Double {
            if !covered[i] { return 0 }
            if let alive, !alive[i] { return 0 }
            if let weights { return weights[i] > 0 ? weights[i] : 0 }
            return 1
        }

        let termCount = termIndex.terms.count
        let objectCount = objects.labels.count
        var support = [Double](repeating: 0, count: termCount)
        var supportCount = [Int32](repeating: 0, count: termCount)
        var objectWeight = [Double](repeating: 0, count: objectCount)
        var objectCountLive = [Int](repeating: 0, count: objectCount)
        var objectPostingCount = [Int](repeating: 0, count: objectCount)
        var totalWeight = 0.0
        var liveSamples = 0
        for i in 0..<sampleCount {
            let w = weight(i)
            if w <= 0 { continue }
            totalWeight += w
            liveSamples += 1
            for id in termIndex.termIDs(of: i) {
                support[Int(id)] += w
                supportCount[Int(id)] += 1
            }
            for o in objects.objectIDs(of: i) {
                objectWeight[Int(o)] += w
                objectCountLive[Int(o)] += 1
                objectPostingCount[Int(o)] += 1
            }
        }
        let tested = support.map { $0 >= Double(minSupport) }

        // Samples per object (live only), ascending.
        var objectOffsets = [0]
        for o in 0..<objectCount { objectOffsets.append(objectOffsets[o] + objectPostingCount[o]) }
        var objectPostings = [Int32](repeating: 0, count: objectOffsets[objectCount])
        var fill = Array(objectOffsets.dropLast())
        for i in 0..<sampleCount where weight(i) > 0 {
            for o in objects.objectIDs(of: i) {
                objectPostings[fill[Int(o)]] = Int32(i)
                fill[Int(o)] += 1
            }
        }

        var pairs: [TermObjectStatistics] = []
        var pValues: [Double] = []
        var with = [Double](repeating: 0, count: termCount)
        var withCount = [Int32](repeating: 0, count: termCount)
        var mentioned = [Double](repeating: 0, count: termCount)
        var touched: [Int32] = []
        for o in 0..<objectCount {
            let label = objects.labels[o]
            let nameIDs = names.names(of: label).compactMap { termIndex.id(of: $0) }
            touched.removeAll(keepingCapacity: true)
            for index in objectOffsets[o]..<objectOffsets[o + 1] {
                let i = Int(objectPostings[index])
                let w = weight(i)
                let names = nameIDs.contains { termIndex.contains(i, $0) }
                for id in termIndex.termIDs(of: i) where tested[Int(id)] {
                    if withCount[Int(id)] == 0 { touched.append(id) }
                    with[Int(id)] += w
                    withCount[Int(id)] += 1
                    if names { mentioned[Int(id)] += w }
                }
            }
            let baseRate = totalWeight > 0 ? objectWeight[o] / totalWeight : 0
            // A term that names the object itself ("flag" and flag) is not tested: it is mentioned by definition.
            let naming = Set(nameIDs)
            for id in touched {
                let t = Int(id)
                defer {
                    with[t] = 0
                    withCount[t] = 0
                    mentioned[t] = 0
                }
                if naming.contains(id) { continue }
                let confidence = support[t] > 0 ? with[t] / support[t] : 0
                let p = Hypergeometric.upperTail(
                    Int(withCount[t]), population: liveSamples, successes: objectCountLive[o],
                    draws: Int(supportCount[t]))
                pValues.append(p)
                let statistics = ObjectStatistics(
                    support: support[t], withObject: with[t], confidence: confidence, baseRate: baseRate,
                    lift: baseRate > 0 ? confidence / baseRate : 0,
                    mentionRate: with[t] > 0 ? mentioned[t] / with[t] : 0, pValue: p, qValue: 1)
                pairs.append(
                    TermObjectStatistics(
                        term: termIndex.terms[t], termID: id, object: label, objectID: Int32(o),
                        statistics: statistics))
            }
        }
        let q = BenjaminiHochberg.qValues(pValues)
        for index in pairs.indices { pairs[index].statistics.qValue = q[index] }
        return pairs.sorted { ($0.termID, $0.objectID) < ($1.termID, $1.objectID) }
    }

    /// The pairs of `statistics` that are object triggers under `thresholds`, in the same order.
    public static func triggers(
        _ statistics: [TermObjectStatistics], thresholds: ObjectTriggerThresholds
    ) -> [TermObjectStatistics] {
        statistics.filter { $0.isTrigger(thresholds) }
    }
}
