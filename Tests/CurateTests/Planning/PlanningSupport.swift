import Curate
import Detect

/// Builds small hand-made planner inputs.
enum Build {
    /// A policy holding `actions`, validated from YAML text so tests exercise the real loader.
    static func policy(_ actions: String, seed: Int = 7, extra: String = "") throws -> Policy {
        try PolicyLoader.parse("version: 1\nseed: \(seed)\n\(extra)actions:\n\(actions)", file: "test.yaml")
    }

    static func sample(
        _ key: String, _ caption: String, terms: [String]? = nil, cluster: Int? = nil, exact: Int? = nil,
        size: (Int, Int)? = nil, content: Int? = nil, quality: Int? = nil, problem: ProblemKind? = nil,
        objects: Set<String> = []
    ) -> PlanSample {
        PlanSample(
            key: key, caption: caption, terms: terms ?? [], cluster: cluster, exactGroup: exact, width: size?.0,
            height: size?.1, contentPixels: content, quality: quality, problem: problem, objects: objects,
            record: Record(
                encoding: .json,
                fields: [
                    .init(name: "key", value: "\"\(key)\""), .init(name: "caption", value: JSONValue.quoted(caption)),
                ]))
    }

    static func wordTrigger(_ term: String, topCluster: Int) -> WordTrigger {
        WordTrigger(
            term: term,
            statistics: WordStatistics(
                support: 0, dupFraction: 0, topCluster: topCluster, nTop: 0, topShare: 0, consistency: 0, collision: 0,
                pValue: 0, qValue: 0))
    }

    /// A term's top-cluster count and share among the plan's kept samples (weighted when weights are set).
    static func concentration(of term: String, input: PlanInput, plan: Plan) -> (nTop: Double, share: Double) {
        let kept = plan.keptForStatistics(input: input)
        var counts: [Int: Double] = [:]
        var total = 0.0
        var singles = 0.0
        for position in kept.indices.indices where kept.terms[position].contains(term) {
            let weight = kept.weights[position]
            total += weight
            if let cluster = kept.clusters[position] {
                counts[cluster, default: 0] += weight
            } else {
                singles = max(singles, weight)
            }
        }
        let top = max(counts.values.max() ?? 0, singles)
        return (top, total == 0 ? 0 : top / total)
    }
}
