import Detect
import Foundation

/// Turns a policy and a dataset's samples and triggers into per-sample decisions. Pure: no I/O, no clock,
/// and every random choice is seeded from the policy seed and the sample key, so the same input gives the same plan.
public enum Planner {
    /// Applies the policy's actions in order, each to the samples the previous ones kept.
    public static func plan(input: PlanInput, policy: Policy) -> Plan {
        var state = PlanState(input: input, seed: policy.seed, synonyms: policy.triggers.synonyms)
        var summaries: [ActionSummary] = []
        for (index, action) in policy.actions.enumerated() {
            let rule = policy.ruleName(of: index)
            state.summary = ActionSummary(rule: rule)
            switch action {
            case .dedupe(let dedupe): state.apply(dedupe, rule: rule)
            case .rebalance(let rebalance): state.apply(rebalance, rule: rule)
            case .rewriteCaptions(let rewrite): state.apply(rewrite, rule: rule)
            case .remove(let remove): state.apply(remove, rule: rule)
            }
            summaries.append(state.summary)
        }
        state.noteLaterRemovals()
        return Plan(decisions: state.decisions, actions: summaries)
    }
}

/// The planner's working state: decisions so far, each holding its sample's current terms.
///
/// No per-sample term sets: a caption has a few dozen terms at most, so a linear look through
/// `SampleDecision.terms` is as fast as hashing and keeps the planner's memory at one term list per sample.
struct PlanState {
    let input: PlanInput
    let seed: UInt64
    let synonyms: [String: [String]]
    var decisions: [SampleDecision]
    /// For each trigger term (the terms the actions look up by carrier), the samples whose original term list
    /// holds it or a rewrite put it in, ascending; filter by `decisions` for the current state. Other terms are not
    /// indexed: an index of every term cost more memory than the rest of the plan.
    var carriersOfTriggerTerm: [String: [Int]]
    /// Word triggers that a longer or broader trigger of the same image accounts for (see ``subsumedTriggers``):
    /// actions on word triggers act on that one instead.
    let subsumed: Set<String>
    var summary = ActionSummary(rule: "")
    /// For each sample `dedupe` removed, the samples it kept in its place (its reason names them).
    var keptInPlace: [Int: [Int]] = [:]

    init(input: PlanInput, seed: UInt64, synonyms: [String: [String]]) {
        self.input = input
        self.seed = seed
        self.synonyms = synonyms
        decisions = input.samples.map { SampleDecision(key: $0.key, caption: $0.caption, terms: $0.terms) }
        let triggerTerms = Set(input.wordTriggers.map(\.term) + input.objectTriggers.map(\.term))
        var index = Dictionary(uniqueKeysWithValues: triggerTerms.map { ($0, [Int]()) })
        for (position, sample) in input.samples.enumerated() {
            for term in sample.terms where index[term] != nil && index[term]?.last != position {
                index[term]!.append(position)
            }
        }
        carriersOfTriggerTerm = index
        subsumed = Self.subsumedTriggers(input, carriers: index)
    }

    /// Triggers t for which another trigger T of the same top cluster is found on every sample of t in that
    /// cluster, and T either holds t's words ("van" and "gogh" under "van gogh", which the miner also reports) or
    /// is found on strictly more of the cluster's samples ("painting van" under "van gogh"). Acting on t as well
    /// would only cut it from captions of other images ("a red van parked on a street") or split T's words apart.
    static func subsumedTriggers(_ input: PlanInput, carriers: [String: [Int]]) -> Set<String> {
        let triggers = input.wordTriggers
        func topCarriers(_ trigger: WordTrigger) -> Set<Int> {
            Set((carriers[trigger.term] ?? []).filter { input.samples[$0].cluster == trigger.statistics.topCluster })
        }
        let top = triggers.map(topCarriers)
        var result = Set<String>()
        for (i, t) in triggers.enumerated() where t.statistics.topCluster != nil && !top[i].isEmpty {
            let words = t.term.split(separator: " ")
            for (j, other) in triggers.enumerated()
            where j != i && other.statistics.topCluster == t.statistics.topCluster && top[i].isSubset(of: top[j]) {
                let otherWords = other.term.split(separator: " ")
                let contains = otherWords.count > words.count
                    && (0...(otherWords.count - words.count)).contains { Array(otherWords[$0..<($0 + words.count)]) == words }
                if contains || top[i].count < top[j].count {
                    result.insert(t.term)
                    break
                }
            }
        }
        return result
    }

    /// Kept samples that currently carry `term` by their term lists, ascending.
    func keptCarriers(of term: String) -> [Int] {
        let candidates = carriersOfTriggerTerm[term] ?? Array(decisions.indices)
        return candidates.filter { decisions[$0].isKept && decisions[$0].terms.contains(term) }
    }

    /// Indices of the samples still kept, ascending.
    var survivors: [Int] { decisions.indices.filter { decisions[$0].isKept } }

    /// A dedupe reason names the copies kept in the removed one's place; when a later action removed those too,
    /// the reason says so, or `removed.jsonl` would point at a sample that is not in the manifest.
    mutating func noteLaterRemovals() {
        for (index, kept) in keptInPlace {
            let gone = kept.filter { !decisions[$0].isKept }
            guard !gone.isEmpty, let removal = decisions[index].removal else { continue }
            let notes = gone.map { "\(input.samples[$0].key) by \(decisions[$0].removal!.rule)" }
            decisions[index].removal = Removal(
                reason: removal.reason + " (since removed: \(notes.joined(separator: ", ")))", rule: removal.rule)
        }
    }

    mutating func remove(_ index: Int, reason: String, rule: String) {
        guard decisions[index].isKept else { return }
        decisions[index].removal = Removal(reason: reason, rule: rule)
        summary.removed += 1
    }

    /// Records a rewrite and brings the sample's terms up to date: terms the rewrite took out of the caption go,
    /// and trigger terms it made (an inserted word joining two halves, a replacement) come, so later actions see
    /// the caption as the after statistics will.
    mutating func rewrite(_ index: Int, to after: String, rule: String) {
        let before = decisions[index].caption
        guard after != before else { return }
        // One change per action: a rule that takes several terms out of a caption, one after the other, logs the
        // caption before and after all of them.
        if let last = decisions[index].changes.last, last.rule == rule {
            if last.before == after {
                decisions[index].changes.removeLast()
                summary.rewritten -= 1
            } else {
                decisions[index].changes[decisions[index].changes.count - 1].after = after
            }
        } else {
            summary.rewritten += 1
            decisions[index].changes.append(CaptionChange(before: before, after: after, rule: rule))
        }
        decisions[index].caption = after
        let tokensBefore = CaptionText.tokens(before), tokensAfter = CaptionText.tokens(after)
        let gone = Set(decisions[index].terms.filter {
            CaptionText.contains($0, in: tokensBefore) && !CaptionText.contains($0, in: tokensAfter)
        })
        if !gone.isEmpty { decisions[index].terms.removeAll { gone.contains($0) } }
        let normalizer = CaptionTerms()
        let made = normalizer.terms(of: tokensAfter).subtracting(normalizer.terms(of: tokensBefore))
        for term in made.sorted() where carriersOfTriggerTerm[term] != nil && !decisions[index].terms.contains(term) {
            decisions[index].terms.append(term)
            let carriers = carriersOfTriggerTerm[term]!
            let position = carriers.firstIndex { $0 > index } ?? carriers.endIndex
            if position == carriers.startIndex || carriers[position - 1] != index {
                carriersOfTriggerTerm[term]!.insert(index, at: position)
            }
        }
    }

    /// Whether the sample's current caption carries the term (by its term list, or by its text for user terms).
    func carries(_ index: Int, _ term: String) -> Bool {
        decisions[index].terms.contains(term) || CaptionText.contains(term, in: decisions[index].caption)
    }

    /// A number in [0, 1) drawn for one sample and purpose.
    func uniform(_ index: Int, salt: String) -> Double {
        var random = SeededRandom(seed: seed, key: input.samples[index].key, salt: salt)
        return Double(random.next() >> 11) / Double(1 << 53)
    }

    /// A random order of samples for one purpose, fixed by seed and keys (input order breaks ties).
    func shuffled(_ indices: [Int], salt: String) -> [Int] {
        let priorities = indices.map { index -> (UInt64, Int) in
            var random = SeededRandom(seed: seed, key: input.samples[index].key, salt: salt)
            return (random.next(), index)
        }
        return priorities.sorted { $0 < $1 }.map(\.1)
    }
}
