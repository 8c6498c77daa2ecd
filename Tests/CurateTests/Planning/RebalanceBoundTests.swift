import Curate
import Detect
import Testing

/// `rebalance` promises that each word trigger ends within the bound "so that it is no longer a trigger": as the
/// after statistics count it, on the captions as the plan leaves them, not as the planner's own lists say.
@Suite struct RebalanceBoundTests {
    static let normalizer = CaptionTerms()

    /// A term's copies in its most loaded cluster among the kept samples, by re-reading every kept caption with the
    /// statistics' normalizer and weighing it as the output trains with it.
    static func copiesInTop(of term: String, input: PlanInput, plan: Plan) -> Double {
        var counts: [Int: Double] = [:]
        var single = 0.0
        for (index, decision) in plan.decisions.enumerated()
        where decision.isKept && normalizer.terms(decision.caption).contains(term) {
            let weight = input.samples[index].weight * (decision.weight ?? 1)
            if let cluster = input.samples[index].cluster {
                counts[cluster, default: 0] += weight
            } else {
                single = max(single, weight)
            }
        }
        return max(counts.values.max() ?? 0, single)
    }

    /// Twelve copies of one picture captioned `copies(i)`, eight other pictures saying "van gogh style photo" (the
    /// first a copy of the twelve's picture too) and 22 saying "other photo"; every term of the copies' captions is
    /// a trigger of cluster 0, as the miner finds them.
    static func dataset(copies: (Int) -> String) -> PlanInput {
        var samples: [PlanSample] = []
        for i in 0..<12 {
            samples.append(Build.sample("a\(i)", copies(i), terms: normalizer.terms(copies(i)), cluster: 0))
        }
        for i in 0..<30 {
            let caption = i < 8 ? "van gogh style photo" : "other photo"
            samples.append(Build.sample("p\(i)", caption, terms: normalizer.terms(caption), cluster: i == 0 ? 0 : nil))
        }
        let triggers = Set((0..<12).flatMap { normalizer.terms(copies($0)) }).sorted()
        return PlanInput(samples: samples, wordTriggers: triggers.map { Build.wordTrigger($0, topCluster: 0) })
    }

    static func expectWithinBound(
        _ input: PlanInput, _ plan: Plan, _ bound: Double, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for trigger in input.wordTriggers {
            let copies = copiesInTop(of: trigger.term, input: input, plan: plan)
            #expect(copies <= bound + 1e-9, "\(trigger.term): \(copies) copies in its top cluster", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "every trigger of the copies ends within max_copies, also one the longer triggers were thought to account for",
        arguments: RebalanceAction.Method.allCases)
    func coOccurringTrigger(method: RebalanceAction.Method) throws {
        // "painting" sits on twelve copies, all saying "van gogh", which is on one more copy: "van gogh" was thought
        // to account for "painting", and `decouple`, taking out "van gogh", left "painting" on all twelve.
        let input = Self.dataset { i in i.isMultiple(of: 2) ? "Van Gogh painting" : "van gogh painting" }
        let plan = Planner.plan(
            input: input, policy: try Build.policy("  - rebalance: {max_copies: 3, method: \(method.rawValue)}\n"))
        Self.expectWithinBound(input, plan, 3)
        if method == .decouple {
            // One log line per caption and rule, from the caption as read to the caption written.
            #expect(plan.decisions.allSatisfy { $0.changes.count <= 1 })
            for (sample, decision) in zip(input.samples, plan.decisions) where decision.isRewritten {
                #expect(decision.changes[0].before == sample.caption && decision.changes[0].after == decision.caption)
            }
        }
    }

    @Test("decouple takes a full-width spelling of the term out of the caption", arguments: RebalanceAction.Method.allCases)
    func fullWidth(method: RebalanceAction.Method) throws {
        // The statistics fold "ＶＡＮ ＧＯＧＨ" into "van gogh"; the rewrite never found it in the text.
        let spellings = ["van gogh painting", "ＶＡＮ ＧＯＧＨ painting", "Van Gogh painting"]
        let input = Self.dataset { i in spellings[i % 3] }
        let plan = Planner.plan(
            input: input, policy: try Build.policy("  - rebalance: {max_copies: 3, method: \(method.rawValue)}\n"))
        Self.expectWithinBound(input, plan, 3)
        if method == .decouple {
            #expect(plan.decisions.filter { $0.caption.contains("ＶＡＮ") }.count <= 3)
        }
    }

    @Test(
        "a rebalance after caption noise judges the captions the noise left, not those it read",
        arguments: RebalanceAction.Method.allCases)
    func afterCaptionNoise(method: RebalanceAction.Method) throws {
        // A word inserted into "moonwalker hero portrait" splits the trigram; "moonwalker", "hero" and "portrait"
        // stay on the copy, and were never cut: the trigram accounted for them.
        let input = Self.dataset { _ in "moonwalker hero portrait" }
        let plan = Planner.plan(
            input: input,
            policy: try Build.policy(
                "  - rewrite_captions: {scope: word_triggers, strategy: random_token, mode: insert, fraction: 0.5}\n"
                    + "  - rebalance: {max_copies: 3, method: \(method.rawValue)}\n", seed: 5))
        let split = plan.decisions.prefix(12).filter {
            $0.changes.first.map { !$0.after.contains("moonwalker hero portrait") } ?? false
        }
        #expect(split.count >= 2, "the noise splits the trigram in some copies")
        Self.expectWithinBound(input, plan, 3)
    }

    @Test("drop_term finds a user's term in full-width text, as the statistics do")
    func dropTermFullWidth() throws {
        let input = PlanInput(samples: [
            Build.sample("r2", "Ｆｕｌｌｗｉｄｔｈ ＶＡＮ ＧＯＧＨ text"), Build.sample("r9", "VAN GOGH, Café"),
        ])
        let plan = Planner.plan(
            input: input,
            policy: try Build.policy("  - rewrite_captions: {scope: terms, terms: [\"van gogh\", \"cafe\"], strategy: drop_term}\n"))
        #expect(plan.decisions.map(\.caption) == ["Ｆｕｌｌｗｉｄｔｈ text", ""])
    }
}
