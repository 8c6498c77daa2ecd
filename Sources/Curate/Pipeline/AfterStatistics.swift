import Detect

/// Trigger statistics of the planned output, computed by the same miners on the kept samples, their rewritten
/// captions and their weights: measured, not estimated.
struct AfterStatistics {
    /// The statistics of each word trigger of the run, by term.
    var word: [String: WordStatistics] = [:]
    /// The statistics of each object trigger of the run, by term and object.
    var object: [ObjectPair: ObjectStatistics] = [:]
    /// How many triggers the miners find in the planned output.
    var wordTriggerCount = 0
    var objectTriggerCount = 0

    init(analysis: DatasetAnalysis, input: PlanInput, plan: Plan, policy: Policy) {
        // Index the planned captions afresh with the input's pruning rules: a term pruned from the input can
        // reach the support bar only through rewrites, and patching the old index would undercount it.
        // The triggers' own terms are kept whatever their support, so each one's after is measured even when the
        // rewrites left it on a few captions.
        let triggerTerms = Set(analysis.wordTriggers.map(\.term) + analysis.objectTriggers.map(\.term))
        let termIndex = plan.rewrittenCount == 0 ? analysis.termIndex : TermIndex.build(
            captions: plan.decisions.lazy.map(\.caption), minSupport: analysis.termMinSupport,
            keeping: analysis.termKeeping.union(triggerTerms))
        let alive = plan.decisions.map(\.isKept)
        // The weights the output trains with: what the input carried times what the plan set.
        let weights = plan.hasWeights || analysis.weights != nil
            ? zip(input.samples, plan.decisions).map { $0.weight * ($1.weight ?? 1) } : nil

        let wordStatistics = WordTriggerMiner(thresholds: policy.triggers.word).statistics(
            termIndex: termIndex, clustering: analysis.clustering, weights: weights, alive: alive)
        // Only the run's triggers are reported with an after: the other terms' statistics (every term with
        // support, ~50 MB at 1M rows) are counted, not kept.
        let wordTriggerTerms = Set(analysis.wordTriggers.map(\.term))
        for entry in wordStatistics where wordTriggerTerms.contains(entry.term) { word[entry.term] = entry.statistics }
        wordTriggerCount = WordTriggerMiner.triggers(wordStatistics, thresholds: policy.triggers.word).count
        // A trigger cut below the support bar is no longer tested; measure it anyway so the report shows its after.
        if analysis.wordTriggers.contains(where: { word[$0.term] == nil }) {
            let all = WordTriggerMiner(minSupport: 1).statistics(
                termIndex: termIndex, clustering: analysis.clustering, weights: weights, alive: alive)
            for entry in all where word[entry.term] == nil { word[entry.term] = entry.statistics }
        }
        // A trigger whose term no kept caption carries any more: support 0, nothing concentrated.
        for trigger in analysis.wordTriggers where word[trigger.term] == nil {
            word[trigger.term] = WordStatistics(
                support: 0, dupFraction: 0, topCluster: nil, nTop: 0, topShare: 0, consistency: 0, collision: 0,
                pValue: 1, qValue: 1)
        }

        if let objects = analysis.objects {
            let names = ObjectNames(extraSynonyms: policy.triggers.synonyms)
            let objectStatistics = ObjectTriggerMiner(thresholds: policy.triggers.object, names: names).statistics(
                termIndex: termIndex, objects: objects, weights: weights, alive: alive)
            let objectTriggerPairs = Set(analysis.objectTriggers.map { ObjectPair($0.term, $0.object) })
            for entry in objectStatistics where objectTriggerPairs.contains(ObjectPair(entry.term, entry.object)) {
                object[ObjectPair(entry.term, entry.object)] = entry.statistics
            }
            objectTriggerCount = ObjectTriggerMiner.triggers(objectStatistics, thresholds: policy.triggers.object).count
            if analysis.objectTriggers.contains(where: { object[ObjectPair($0.term, $0.object)] == nil }) {
                let all = ObjectTriggerMiner(minSupport: 1, names: names).statistics(
                    termIndex: termIndex, objects: objects, weights: weights, alive: alive)
                for entry in all where object[ObjectPair(entry.term, entry.object)] == nil {
                    object[ObjectPair(entry.term, entry.object)] = entry.statistics
                }
            }
            for trigger in analysis.objectTriggers where object[ObjectPair(trigger.term, trigger.object)] == nil {
                object[ObjectPair(trigger.term, trigger.object)] = ObjectStatistics(
                    support: 0, withObject: 0, confidence: 0,
                    baseRate: Self.baseRate(of: trigger.object, in: objects, weights: weights, alive: alive),
                    lift: 0, mentionRate: 0, pValue: 1, qValue: 1)
            }
        }
    }

    /// P(object) over the kept samples the objects file covers, weighted as the object miner weighs them.
    static func baseRate(of label: String, in objects: ObjectTags, weights: [Double]?, alive: [Bool]) -> Double {
        guard let id = objects.id(of: label) else { return 0 }
        var total = 0.0
        var with = 0.0
        for ordinal in 0..<min(objects.sampleCount, alive.count) where alive[ordinal] && objects.covered[ordinal] {
            let weight = weights?[ordinal] ?? 1
            total += weight
            if objects.objectIDs(of: ordinal).contains(id) { with += weight }
        }
        return total > 0 ? with / total : 0
    }
}
