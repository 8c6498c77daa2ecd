extension PlanState {
    /// Keeps `keep` members of each duplicate group by the `prefer` order; removes the rest. For near-duplicate
    /// clusters it then clusters the kept samples again, as a fresh scan of the output would, and repeats until
    /// no cluster holds more than `keep`: the guard against chained links can split one group of copies into
    /// clusters whose kept members still match each other directly.
    mutating func apply(_ action: DedupeAction, rule: String) {
        var groups: [Int: [Int]] = [:]
        for index in survivors {
            let sample = input.samples[index]
            guard let group = action.scope == .exact ? sample.exactGroup : sample.cluster else { continue }
            groups[group, default: []].append(index)
        }
        dedupe(groups, action, rule: rule)
        guard action.scope != .exact, let clustering = input.clustering else { return }
        while true {
            let kept = clustering.kept(decisions.map(\.isKept))
            let crowded = kept.clusters.filter { $0.members.count > action.keep }
            if crowded.isEmpty { return }
            dedupe(Dictionary(uniqueKeysWithValues: crowded.map { ($0.id, $0.members) }), action, rule: rule)
        }
    }

    /// Removes all but the `keep` preferred members of each group, in group order.
    private mutating func dedupe(_ groups: [Int: [Int]], _ action: DedupeAction, rule: String) {
        for group in groups.keys.sorted() {
            let members = groups[group]!.sorted { preferred($0, over: $1, by: action.prefer) }
            guard members.count > action.keep else { continue }
            let keptMembers = Array(members.prefix(action.keep))
            let kept = keptMembers.map { input.samples[$0].key }
            let what =
                action.scope == .exact
                ? "exact duplicate (identical image bytes)"
                : "near-duplicate in cluster \(input.samples[members[0]].cluster.map(String.init) ?? "?")"
            for index in members.dropFirst(action.keep) {
                remove(index, reason: "\(what); kept \(kept.joined(separator: ", "))", rule: rule)
                keptInPlace[index] = keptMembers
            }
        }
    }

    /// Whether sample `a` ranks before `b` under the preferences (input order decides ties).
    private func preferred(_ a: Int, over b: Int, by preferences: [DedupeAction.Preference]) -> Bool {
        let x = input.samples[a], y = input.samples[b]
        for preference in preferences {
            switch preference {
            case .largest:
                // The picture's own pixels: a padded or letterboxed copy does not win by its border.
                let ax = x.contentPixels ?? -1, ay = y.contentPixels ?? -1
                if ax != ay { return ax > ay }
            case .quality:
                let qx = x.quality ?? -1, qy = y.quality ?? -1
                if qx != qy { return qx > qy }
                // PDQ quality saturates at 100 for most photos: between copies of one format, the lighter
                // compression (more bytes a pixel: a higher JPEG quality, no blur) is the better picture.
                if let cx = x.compression, let cy = y.compression, cx.format == cy.format,
                    cx.bytesPerPixel != cy.bytesPerPixel
                {
                    return cx.bytesPerPixel > cy.bytesPerPixel
                }
            case .longestCaption:
                let cx = decisions[a].caption.count, cy = decisions[b].caption.count
                if cx != cy { return cx > cy }
            case .first:
                return a < b
            }
        }
        return a < b
    }
}
