extension PlanState {
    /// For each word trigger, cuts the copies that carry the term until the top cluster holds at most `max_copies`
    /// of them or at most `max_share` of the term's samples, whichever needs fewer cuts.
    ///
    /// Longer triggers go first, and within a cluster every term prefers the same copies (the seeded order is
    /// the cluster's, not the term's): "van gogh" is cut from the surplus copies as a whole, after which "van"
    /// and "gogh" sit on the copies that kept the phrase and need no cut of their own. Term by term with orders
    /// of their own, `decouple` took "van" from some captions and "gogh" from others, leaving fragments.
    ///
    /// Terms are judged on the captions as they are at this point of the plan. A trigger that another one
    /// accounts for (``subsumedTriggers``) is not exempt, only later: after the first round every trigger is
    /// checked again and cut if it is still over the bound, since the first round does not always take it along.
    /// `decouple` takes "van gogh" out of "van gogh painting" but leaves "painting"; a caption rewritten earlier
    /// ("chelsea apple cat", a noise word inside the trigger "chelsea cat") still carries "chelsea" though it no
    /// longer carries the phrase. Rounds repeat while they cut something (a decoupled word can join two halves of
    /// a trigger), a few at most.
    mutating func apply(_ action: RebalanceAction, rule: String) {
        let triggers = input.wordTriggers.map(\.term).sorted { a, b in
            let (wa, wb) = (a.split(separator: " ").count, b.split(separator: " ").count)
            return wa != wb ? wa > wb : a.count != b.count ? a.count > b.count : a < b
        }
        for term in triggers where !subsumed.contains(term) {
            _ = rebalance(term, action: action, rule: rule)
        }
        for _ in 0..<8 {
            var cut = false
            for term in triggers where rebalance(term, action: action, rule: rule) { cut = true }
            if !cut { break }
        }
    }

    /// Cuts one term's surplus copies; returns whether it cut anything.
    private mutating func rebalance(_ term: String, action: RebalanceAction, rule: String) -> Bool {
        let weighted = action.method == .reweight
        // Carriers grouped by cluster; a sample with no near-duplicate is a group of its own.
        var groups: [Int: [Int]] = [:]
        var singles: [Int] = []
        for index in keptCarriers(of: term) {
            if let cluster = input.samples[index].cluster {
                groups[cluster, default: []].append(index)
            } else {
                singles.append(index)
            }
        }
        // Copies count by the weight they train with: a weight the input already carries, times any set here.
        func weight(_ index: Int) -> Double { input.samples[index].weight * (decisions[index].weight ?? 1) }
        func count(_ members: [Int]) -> Double { members.reduce(0) { $0 + weight($1) } }
        let clusterIDs = groups.keys.sorted()
        let counts = clusterIDs.map { count(groups[$0]!) }
        let allCounts = counts + singles.map { count([$0]) }
        // A hair over the bound is rounding of weights already cut to it, not a surplus.
        let tolerance = 1e-9
        guard let top = allCounts.max(), top > 0 else { return false }
        let total = allCounts.reduce(0, +)
        if let maxCopies = action.maxCopies, top <= Double(maxCopies) + tolerance { return false }
        if let maxShare = action.maxShare, top <= maxShare * total + tolerance { return false }

        // The level every cluster is clipped to: max_copies, or the highest level whose share meets max_share.
        var options: [Double] = []
        if let maxCopies = action.maxCopies { options.append(Double(maxCopies)) }
        if let maxShare = action.maxShare {
            if var level = Self.shareLevel(allCounts, maxShare: maxShare) {
                if !weighted { level = level.rounded(.down) }
                if level >= 1 { options.append(level) }
            } else if action.maxCopies == nil {
                // No cut meets the share: make the strongest one (a copy per cluster) and say so.
                options.append(1)
                if !summary.unmetShare.contains(term) { summary.unmetShare.append(term) }
            }
        }
        func cost(_ level: Double) -> Double { counts.reduce(0) { $0 + max(0, $1 - level) } }
        guard let level = options.min(by: { cost($0) < cost($1) }) else { return false }

        var cut = false
        for (position, cluster) in clusterIDs.enumerated() where counts[position] > level + tolerance {
            cut = true
            let members = groups[cluster]!
            switch action.method {
            case .reweight:
                let factor = level / counts[position]
                for index in members {
                    if decisions[index].weightRules.last != rule {
                        summary.reweighted += 1
                        decisions[index].weightRules.append(rule)
                    }
                    decisions[index].weight = (decisions[index].weight ?? 1) * factor
                }
            case .downsample, .decouple:
                let order = shuffled(members, salt: "\(rule):cluster \(cluster)")
                let reason =
                    "surplus copy of trigger `\(term)` in cluster \(cluster) (\(Int(counts[position])) copies, bound \(Int(level)))"
                // Copies are kept in seeded order while their weights fit under the level (with weights of 1:
                // the first `level` of them).
                var kept = 0.0
                let surplus = order.drop { index in
                    guard kept + weight(index) <= level else { return false }
                    kept += weight(index)
                    return true
                }
                for index in surplus {
                    if action.method == .downsample {
                        remove(index, reason: reason, rule: rule)
                    } else {
                        // The matcher normalizes as the statistics do, so the rewrite takes the term out of the terms
                        // too. A term list that came without the term in its caption text (a caller's own) cannot be
                        // edited: the term counts as gone all the same, or every round would try again.
                        rewrite(index, to: CaptionText.removing(term, from: decisions[index].caption), rule: rule)
                        decisions[index].terms.removeAll { $0 == term }
                    }
                }
            }
        }
        return cut
    }

    /// The largest level L such that clipping every count to L leaves the largest at most `maxShare` of the total,
    /// or nil when even clipping to 1 cannot get there.
    ///
    /// The share of the clipped top, L / Σ min(c, L), grows with L, so the answer is where it crosses `maxShare`,
    /// found exactly segment by segment between the sorted counts.
    static func shareLevel(_ counts: [Double], maxShare: Double) -> Double? {
        let sorted = counts.sorted(by: >)
        guard let top = sorted.first else { return nil }
        let total = sorted.reduce(0, +)
        if top <= maxShare * total { return top }
        var rest = total
        for k in 1...sorted.count {
            rest -= sorted[k - 1]
            let lower = k < sorted.count ? sorted[k] : 0
            let upper = sorted[k - 1]
            // On [lower, upper] the k largest are clipped: condition L·(1 − m·k) ≤ m·rest.
            let slope = 1 - maxShare * Double(k)
            let bound = slope <= 0 ? Double.infinity : maxShare * rest / slope
            if bound >= lower {
                let level = min(bound, upper)
                return level >= 1 ? level : nil
            }
        }
        return nil
    }
}
