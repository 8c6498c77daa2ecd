import Detect

/// Trigger statistics of the planned output, computed by the same miners on the kept samples, their rewritten
/// captions and their weights: measured, not estimated.
struct AfterStatistics {
    var word: [String: WordStatistics] = [:]
    var object: [ObjectPair: ObjectStatistics] = [:]
    var wordTriggerCount = 0
    var objectTriggerCount = 0

    init(analysis: DatasetAnalysis, input: PlanInput, plan: Plan, policy: Policy) {
        let rewritten = Dictionary(uniqueKeysWithValues: plan.decisions.enumerated().compactMap { index, decision in
            decision.isRewritten ? (index, decision.caption) : nil
        })
        let termIndex = analysis.termIndex.replacingCaptions(rewritten)
        let alive = plan.decisions.map(\.isKept)
        let weights = plan.hasWeights ? plan.decisions.map { $0.weight ?? 1 } : nil

        let wordStatistics = WordTriggerMiner(thresholds: policy.triggers.word).statistics(
            termIndex: termIndex, clustering: analysis.clustering, weights: weights, alive: alive)
        for entry in wordStatistics { word[entry.term] = entry.statistics }
        wordTriggerCount = WordTriggerMiner.triggers(wordStatistics, thresholds: policy.triggers.word).count

        if let objects = analysis.objects {
            let names = ObjectNames(extraSynonyms: policy.triggers.synonyms)
            let objectStatistics = ObjectTriggerMiner(thresholds: policy.triggers.object, names: names).statistics(
                termIndex: termIndex, objects: objects, weights: weights, alive: alive)
            for entry in objectStatistics { object[ObjectPair(entry.term, entry.object)] = entry.statistics }
            objectTriggerCount = ObjectTriggerMiner.triggers(objectStatistics, thresholds: policy.triggers.object).count
        }
    }
}
