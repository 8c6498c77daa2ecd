import Detect

/// Dataset-level counts at one point (before or after the policy), as written to `stats.json`.
public struct DatasetCounts: Sendable, Hashable {
    public var samples: Int
    public var kept: Int
    public var removed: Int
    public var rewritten: Int
    public var reweighted: Int
    /// Kept samples reweighted, by the rule that set or multiplied their weight (empty before the policy).
    public var reweightedByRule: [String: Int] = [:]
    /// Samples that have an earlier near-duplicate: Σ (cluster size − 1).
    public var duplicates: Int
    /// Clusters of size ≥ 2.
    public var clusters: Int
    public var wordTriggers: Int
    public var objectTriggers: Int
    /// Input problems by kind (`ProblemKind` raw values).
    public var errors: [String: Int]
    /// Samples whose caption has no word (empty in the input, or emptied by rewrites: a caption made only of
    /// trigger terms that `decouple` or `drop_term` took out).
    public var emptyCaptions = 0

    public init(
        samples: Int, kept: Int, removed: Int = 0, rewritten: Int = 0, reweighted: Int = 0, duplicates: Int,
        clusters: Int,
        wordTriggers: Int, objectTriggers: Int, errors: [String: Int]
    ) {
        self.samples = samples
        self.kept = kept
        self.removed = removed
        self.rewritten = rewritten
        self.reweighted = reweighted
        self.duplicates = duplicates
        self.clusters = clusters
        self.wordTriggers = wordTriggers
        self.objectTriggers = objectTriggers
        self.errors = errors
    }

    /// Counts of the input as read. `problems` counts every input problem by kind, including those that produced no
    /// sample (unreadable lines); when nil, the samples' own image problems are counted.
    public static func before(input: PlanInput, problems: [ProblemKind: Int]? = nil) -> DatasetCounts {
        let all = Array(input.samples.indices)
        let (duplicates, clusters) = clusterCounts(input, members: all)
        var counts = DatasetCounts(
            samples: input.samples.count, kept: input.samples.count, duplicates: duplicates, clusters: clusters,
            wordTriggers: input.wordTriggers.count, objectTriggers: input.objectTriggers.count,
            errors: errorCounts(problems ?? sampleProblems(input, members: all)))
        counts.emptyCaptions = input.samples.count { !CaptionText.hasWords($0.caption) }
        return counts
    }

    /// Counts of the kept samples after the plan. Trigger counts are those the miner finds in the cleaned set.
    public static func after(input: PlanInput, plan: Plan, wordTriggers: Int, objectTriggers: Int) -> DatasetCounts {
        let kept = plan.decisions.indices.filter { plan.decisions[$0].isKept }
        let (duplicates, clusters) = clusterCounts(input, members: kept)
        var counts = DatasetCounts(
            samples: kept.count, kept: kept.count, removed: plan.removedCount, rewritten: plan.rewrittenCount,
            reweighted: plan.decisions.count { $0.isKept && $0.weight != nil }, duplicates: duplicates,
            clusters: clusters,
            wordTriggers: wordTriggers, objectTriggers: objectTriggers,
            errors: errorCounts(sampleProblems(input, members: kept)))
        counts.emptyCaptions = kept.count { !CaptionText.hasWords(plan.decisions[$0].caption) }
        for index in kept {
            for rule in Set(plan.decisions[index].weightRules) { counts.reweightedByRule[rule, default: 0] += 1 }
        }
        return counts
    }

    private static func clusterCounts(_ input: PlanInput, members: [Int]) -> (duplicates: Int, clusters: Int) {
        var sizes: [Int: Int] = [:]
        for index in members { if let cluster = input.samples[index].cluster { sizes[cluster, default: 0] += 1 } }
        let multi = sizes.values.filter { $0 >= 2 }
        return (multi.reduce(0) { $0 + $1 - 1 }, multi.count)
    }

    private static func sampleProblems(_ input: PlanInput, members: [Int]) -> [ProblemKind: Int] {
        var counts: [ProblemKind: Int] = [:]
        for index in members { if let problem = input.samples[index].problem { counts[problem, default: 0] += 1 } }
        return counts
    }

    private static func errorCounts(_ problems: [ProblemKind: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: problems.filter { $0.value > 0 }.map { ($0.key.rawValue, $0.value) })
    }

    public var json: JSONValue {
        .sorted([
            "samples": .int(samples), "kept": .int(kept), "removed": .int(removed), "rewritten": .int(rewritten),
            "reweighted": .int(reweighted), "reweighted_by_rule": .sorted(reweightedByRule.mapValues { .int($0) }),
            "duplicates": .int(duplicates), "clusters": .int(clusters),
            "triggers": .sorted(["word": .int(wordTriggers), "object": .int(objectTriggers)]),
            "errors": .sorted(errors.mapValues { .int($0) }), "empty_captions": .int(emptyCaptions),
        ])
    }
}

/// `stats.json`: dataset counts before and after the policy.
public struct DatasetStats: Sendable, Hashable {
    public var before: DatasetCounts
    public var after: DatasetCounts
    /// Groups of near-identical captions (template captions with a few words swapped), as sample keys.
    public var captionClusters: [[String]]

    public init(before: DatasetCounts, after: DatasetCounts, captionClusters: [[String]] = []) {
        self.before = before
        self.after = after
        self.captionClusters = captionClusters
    }

    public var json: JSONValue {
        .sorted([
            "before": before.json, "after": after.json,
            "caption_clusters": .sorted([
                "clusters": .int(captionClusters.count), "samples": .int(captionClusters.reduce(0) { $0 + $1.count }),
                "largest": .array((captionClusters.max { $0.count < $1.count } ?? []).prefix(20).map { .string($0) }),
            ]),
        ])
    }

    /// The file's content.
    public var text: String { json.pretty }
}
