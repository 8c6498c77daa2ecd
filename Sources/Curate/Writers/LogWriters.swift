import Detect

/// The line-per-item logs: `removed.jsonl`, `changes.jsonl`, `clusters.jsonl` and `problems.jsonl`.
public enum LogWriters {
    /// One line per dropped sample: the original record's fields, then `reason`, `rule` and `cluster`.
    public static func removedLines(input: PlanInput, plan: Plan) -> [String] {
        plan.decisions.indices.compactMap { index in
            plan.decisions[index].removal.map { removedLine(input.samples[index], $0, cluster: input.samples[index].cluster) }
        }
    }

    /// The `removed.jsonl` line of one dropped sample.
    static func removedLine(_ sample: some ManifestRow, _ removal: Removal, cluster: Int?) -> String {
        var members = ManifestWriter.recordMembers(sample)
        if !members.contains(where: { $0.name == "key" }) {
            members.insert(.init("key", .string(sample.key)), at: 0)
        }
        // A sample renamed apart from an earlier one with its key: the name clusters, changes and reasons use.
        if sample.inputKey != nil { ManifestWriter.set(&members, "sample_key", .string(sample.key)) }
        ManifestWriter.set(&members, "reason", .string(removal.reason))
        ManifestWriter.set(&members, "rule", .string(removal.rule))
        ManifestWriter.set(&members, "cluster", cluster.map { .int($0) } ?? .null)
        return JSONValue.object(members).compact
    }

    /// One line per caption rewrite of a kept sample: `key`, `before`, `after`, `rule`.
    public static func changeLines(plan: Plan) -> [String] {
        plan.decisions.filter(\.isKept).flatMap { decision in
            decision.changes.map { change in
                JSONValue.object([
                    .init("key", .string(decision.key)), .init("before", .string(change.before)),
                    .init("after", .string(change.after)), .init("rule", .string(change.rule)),
                ]).compact
            }
        }
    }

    /// One line per input problem, in the order found: `file`, `line` and `member` (null when the input has none),
    /// `key` (null when the problem is not a sample's), `kind` (the `stats.json` error name) and `message`.
    /// stderr shows only the first few; this is where each one is named with its place.
    public static func problemLines(_ problems: [InputProblem]) -> [String] {
        problems.map { problem in
            JSONValue.object([
                .init("file", .string(problem.origin.file)),
                .init("line", problem.origin.line.map { .int($0) } ?? .null),
                .init("member", problem.origin.member.map { .string($0) } ?? .null),
                .init("key", problem.key.map { .string($0) } ?? .null), .init("kind", .string(problem.kind.rawValue)),
                .init("message", .string(problem.message)),
            ]).compact
        }
    }

    /// One line per cluster of size ≥ 2: `id`, `size`, `members` (keys), `representative` (key), `evidence`.
    /// - Parameter keys: sample keys by ordinal.
    public static func clusterLines(clustering: Clustering, keys: [String]) -> [String] {
        clustering.clusters.filter { $0.members.count >= 2 }.sorted { $0.id < $1.id }.map { cluster in
            JSONValue.object([
                .init("id", .int(cluster.id)), .init("size", .int(cluster.members.count)),
                .init("members", .array(cluster.members.map { .string(keys[$0]) })),
                .init("representative", .string(keys[cluster.representative])),
                .init("evidence", .array(cluster.evidence.sorted().map { .string($0.rawValue) })),
            ]).compact
        }
    }

    /// Lines joined into file content (each ends in a newline).
    public static func text(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }
}
