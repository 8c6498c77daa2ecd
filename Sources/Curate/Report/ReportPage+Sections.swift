import Foundation

extension ReportPage {
    // MARK: Summary

    func summarySection() -> String {
        var body = ""
        let before = data.stats?.before
        let after = data.stats?.after
        // Key figures as cards.
        body += "<div class=\"cards figures\">\n"
        func figure(_ label: String, _ beforeValue: Int?, _ afterValue: Int?) -> String {
            var text = "<div class=\"figure-card\"><div class=\"label\">\(H.escape(label))</div><div class=\"value\">"
            text += change(H.count(beforeValue), afterValue.map { H.count($0) })
            return text + "</div></div>\n"
        }
        body += figure("Samples", before?.samples, after?.samples)
        body += figure("Duplicates", before?.duplicates, after?.duplicates)
        body += figure("Clusters", before?.clusters, after?.clusters)
        body += figure("Word triggers", before?.wordTriggers, after?.wordTriggers)
        body += figure("Object triggers", before?.objectTriggers, after?.objectTriggers)
        body += "</div>\n"

        body += "<div class=\"two-col\">\n<div>\n<h3>Run</h3>\n<dl class=\"facts\">\n"
        func fact(_ name: String, _ value: String) { body += "<dt>\(H.escape(name))</dt><dd>\(value)</dd>\n" }
        fact("Mode", mode.map { H.escape($0) } ?? "–")
        if let policy = data.run?.policy {
            fact("Policy", H.escape(policy.name ?? "unnamed") + (policy.path.map { " <span class=\"muted\">(\(H.escape($0)))</span>" } ?? ""))
            if let hash = policy.hash { fact("Policy hash", "<code class=\"hash\">\(H.escape(hash))</code>") }
        } else {
            fact("Policy", "–")
        }
        if let seed = data.run?.seed { fact("Seed", H.escape(seed)) }
        if let version = data.run?.version { fact("Tool version", H.escape(version)) }
        if let stats = data.stats {
            fact(
                "Kept / removed / captions rewritten / reweighted",
                "\(H.count(stats.kept)) / \(H.count(stats.removed)) / \(H.count(stats.rewritten)) / \(H.count(stats.reweighted))")
        }
        body += "</dl>\n"
        if let inputs = data.run?.inputs, !inputs.isEmpty {
            body += "<h3>Inputs</h3>\n<ul class=\"inputs\">\n"
            for input in inputs {
                body += "<li><code>\(H.escape(input.path))</code>"
                if let digest = input.digest { body += " <code class=\"hash muted\">\(H.escape(digest))</code>" }
                body += "</li>\n"
            }
            body += "</ul>\n"
        }
        body += "</div>\n<div>\n<h3>Input problems</h3>\n"
        let kinds = Set((before?.errors.keys).map(Array.init) ?? []).union((after?.errors.keys).map(Array.init) ?? []).sorted()
        let problemTotal = kinds.reduce(0) { $0 + (before?.errors[$1] ?? 0) }
        if kinds.isEmpty || (problemTotal == 0 && kinds.allSatisfy { (after?.errors[$0] ?? 0) == 0 }) {
            body += empty(data.stats == nil ? "No statistics file, so input problems are unknown." : "No input problems: every sample was read.")
        } else {
            body += "<table><caption>Problems by kind</caption><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\" class=\"num\">Before</th>"
            // Problems stay in the input; after the policy only those of kept samples matter to training.
            body += after != nil ? "<th scope=\"col\" class=\"num\">In kept samples</th>" : ""
            body += "</tr></thead><tbody>\n"
            for kind in kinds {
                body += "<tr><th scope=\"row\">\(H.escape(kind.replacingOccurrences(of: "_", with: " ")))</th><td class=\"num\">\(H.count(before?.errors[kind] ?? 0))</td>"
                if let after { body += "<td class=\"num\">\(H.count(after.errors[kind] ?? 0))</td>" }
                body += "</tr>\n"
            }
            body += "</tbody></table>\n"
        }
        // Timings stay in run.json: the report must be byte-identical across runs of the same inputs.
        body += "</div>\n</div>\n"
        if !data.missingFiles.isEmpty {
            body += "<p class=\"warning\">Not in the output folder: "
                + data.missingFiles.map { "<code>\(H.escape($0))</code>" }.joined(separator: ", ") + ". The parts they feed are empty.</p>\n"
        }
        return section("summary", "Summary", body)
    }

    // MARK: Clusters

    /// Clusters largest first, ties by id, so the gallery order does not depend on the file's order.
    var rankedClusters: [ReportCluster] {
        data.clusters.sorted { ($0.size, -$0.id) > ($1.size, -$1.id) }
    }

    mutating func clusterSection() -> String {
        let clusters = rankedClusters
        guard !clusters.isEmpty else {
            return section("clusters", "Largest near-duplicate clusters", empty("No near-duplicate clusters found at the policy's thresholds."))
        }
        let members = clusters.reduce(0) { $0 + $1.size }
        var body = "<p>\(clusters.count) clusters hold \(members) samples. Largest first; the representative is outlined.</p>\n"
        body += "<div class=\"legend\">Evidence: " + ["exact", "phash", "dhash", "pdq", "embedding"].map(evidenceBadge).joined(separator: " ") + "</div>\n"
        body += "<div class=\"cards clusters\">\n"
        for cluster in clusters.prefix(ReportBuilder.galleryClusters) {
            body += "<article class=\"card cluster\" id=\"cluster-\(cluster.id)\">\n"
            body += "<h3>Cluster \(cluster.id) <span class=\"size\">\(cluster.size) samples</span></h3>\n"
            body += "<p class=\"badges\">" + cluster.evidence.map(evidenceBadge).joined(separator: " ") + "</p>\n"
            // The representative first, then the other members in file order.
            var keys = cluster.members
            if let representative = cluster.representative, let index = keys.firstIndex(of: representative) {
                keys.remove(at: index)
                keys.insert(representative, at: 0)
            }
            body += "<div class=\"gallery\">"
            for key in keys.prefix(ReportBuilder.thumbnailsPerCluster) {
                let badge = key == cluster.representative ? "<span class=\"badge rep\" title=\"representative\">representative</span>" : nil
                body += figure(key, badge: badge, representative: badge != nil)
            }
            body += "</div>\n"
            let hidden = max(cluster.size, cluster.members.count) - min(keys.count, ReportBuilder.thumbnailsPerCluster)
            if hidden > 0 { body += "<p class=\"more\">+\(hidden) more members not shown.</p>\n" }
            body += "</article>\n"
        }
        body += "</div>\n"
        body += more(clusters.count - min(clusters.count, ReportBuilder.galleryClusters), "clusters (smaller ones; all are in clusters.jsonl)")
        return section("clusters", "Largest near-duplicate clusters", body)
    }

    // MARK: Word triggers

    mutating func wordTriggerSection() -> String {
        let triggers = data.wordTriggers
        guard !triggers.isEmpty else {
            return section("word-triggers", "Word triggers", empty("No word triggers found at the policy's thresholds."))
        }
        var body = "<p>Caption terms whose samples pile up in one near-duplicate cluster: a model trained on them learns to reproduce that image from the word. Click a column heading to sort.</p>\n"
        body += "<div class=\"table-wrap\"><table class=\"sortable\"><caption>\(triggers.count) word triggers (after = \(afterMeaning))</caption>"
        body += headerRow([
            ("Term", false), ("Support", true), ("Dup. fraction", true), ("Top cluster", true), ("Copies in top", true),
            ("Top share", true), ("Top share after", true), ("Consistency", true), ("Collision", true),
            ("Collision after", true), ("p", true), ("q", true),
        ])
        body += "<tbody>\n"
        for trigger in triggers {
            let b = trigger.before
            let after = changedAfter(trigger)
            body += "<tr><th scope=\"row\">\(H.escape(trigger.term))</th>"
            body += numberCell(change(H.count(b.support), after.map { H.count($0.support) }), b.support)
            body += numberCell(H.ratio(b.dupFraction), b.dupFraction)
            let top = b.topCluster.map { id in clustersByID[id] != nil ? "<a href=\"#cluster-\(id)\">\(id)</a>" : String(id) } ?? "–"
            body += numberCell(top, b.topCluster.map(Double.init))
            // The bound a rebalance meets: with one picture per term the share stays 1 whatever is cut.
            body += numberCell(change(H.count(b.nTop), after.map { H.count($0.nTop) }), b.nTop)
            body += numberCell(H.ratio(b.topShare), b.topShare)
            body += numberCell(H.ratio(after?.topShare), after?.topShare)
            body += numberCell(H.ratio(b.consistency), b.consistency)
            body += numberCell(H.ratio(b.collision), b.collision)
            body += numberCell(H.ratio(after?.collision), after?.collision)
            body += numberCell(H.probability(b.pValue), b.pValue)
            body += numberCell(H.probability(b.qValue), b.qValue)
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n"
        body += "<h3 class=\"sub\">What each trigger reproduces</h3>\n<div class=\"cards triggers\">\n"
        for trigger in triggers.prefix(ReportBuilder.triggerCards) {
            body += wordTriggerCard(trigger)
        }
        body += "</div>\n"
        body += more(triggers.count - min(triggers.count, ReportBuilder.triggerCards), "triggers (see the table above)")
        return section("word-triggers", "Word triggers", body)
    }

    /// Keys to show for a word trigger: the writer's examples, else the top cluster's members whose caption holds
    /// the term.
    func exampleKeys(_ trigger: ReportWordTrigger) -> [String] {
        if !trigger.examples.isEmpty { return trigger.examples }
        guard let id = trigger.before.topCluster, let cluster = clustersByID[id] else { return [] }
        let term = trigger.term.lowercased()
        return cluster.members.filter { captions[$0]?.lowercased().contains(term) ?? false }
    }

    mutating func wordTriggerCard(_ trigger: ReportWordTrigger) -> String {
        let b = trigger.before
        let after = changedAfter(trigger)
        var html = "<article class=\"card trigger\">\n<h4>“\(H.escape(trigger.term))”</h4>\n<p class=\"stats\">"
        html += "support \(change(H.count(b.support), after.map { H.count($0.support) }))"
        if after != nil, weighted { html += " <span class=\"muted\">(after: by weight)</span>" }
        html += " · top share \(change(H.ratio(b.topShare), after.map { H.ratio($0.topShare) }))"
        if let id = b.topCluster {
            html += " · " + (clustersByID[id] != nil ? "<a href=\"#cluster-\(id)\">cluster \(id)</a>" : "cluster \(id)")
        }
        html += "</p>\n"
        let keys = exampleKeys(trigger)
        let shown = min(keys.count, ReportBuilder.thumbnailsPerTrigger)
        if keys.isEmpty {
            html += "<p class=\"empty\">No example samples listed.</p>\n"
        } else {
            html += "<div class=\"gallery small\">"
            for key in keys.prefix(ReportBuilder.thumbnailsPerTrigger) { html += figure(key, term: trigger.term) }
            html += "</div>\n"
            // triggers.json lists a few examples (12 at most), not every copy: count from the statistics.
            let place = b.topCluster.map { "cluster \($0)" } ?? "the top cluster"
            if let copies = b.nTop, copies > Double(shown) {
                html += "<p class=\"more\">\(shown) shown of the \(H.count(copies)) samples in \(place) that carry the term"
                html += b.support.map { " (\(H.count($0)) carry it in all)." } ?? "."
                html += "</p>\n"
            } else if keys.count > shown {
                html += "<p class=\"more\">\(shown) shown of the \(keys.count) examples listed.</p>\n"
            }
        }
        var texts = trigger.captions
        let listed = !texts.isEmpty
        if !listed { texts = keys.compactMap { captions[$0] } }
        var seen = Set<String>()
        texts = texts.filter { seen.insert($0).inserted }
        if !texts.isEmpty {
            let count = texts.count > 10 ? "10 of \(texts.count)" : "\(texts.count)"
            // Only the captions of the listed examples are known here: say so, or 8 reads as all the term has.
            let label = listed
                ? "Distinct captions listed for the term (\(count))"
                : "Distinct captions among the \(keys.count) example\(keys.count == 1 ? "" : "s") listed (\(count))"
            html += "<details><summary>\(label)</summary><ul class=\"captions\">"
            for text in texts.prefix(10) { html += "<li>\(H.highlight(H.truncate(text, 300), term: trigger.term))</li>" }
            html += "</ul></details>\n"
        }
        return html + "</article>\n"
    }

    // MARK: Object triggers

    mutating func objectTriggerSection() -> String {
        let triggers = data.objectTriggers
        guard !triggers.isEmpty else {
            return section("object-triggers", "Object triggers", empty("No object triggers found at the policy's thresholds."))
        }
        var body = "<p>Terms whose images show an object far more often than the dataset does, while captions rarely name it: the model learns to draw the object from the term alone.</p>\n"
        body += "<div class=\"table-wrap\"><table class=\"sortable\"><caption>\(triggers.count) object triggers (after = \(afterMeaning))</caption>"
        body += headerRow([
            ("Term", false), ("Object", false), ("Support", true), ("With object", true), ("Confidence", true),
            ("Base rate", true), ("Lift", true), ("Mention rate", true), ("Mention rate after", true), ("q", true),
        ])
        body += "<tbody>\n"
        for trigger in triggers {
            let b = trigger.before
            let after = changedAfter(trigger)
            body += "<tr><th scope=\"row\">\(H.escape(trigger.term))</th><td>\(H.escape(trigger.object))</td>"
            body += numberCell(H.count(b.support), b.support)
            body += numberCell(H.count(b.withObject), b.withObject)
            body += numberCell(change(H.ratio(b.confidence), after.map { H.ratio($0.confidence) }), b.confidence)
            body += numberCell(H.ratio(b.baseRate), b.baseRate)
            body += numberCell(H.lift(b.lift), b.lift)
            body += numberCell(H.ratio(b.mentionRate), b.mentionRate)
            body += numberCell(H.ratio(after?.mentionRate), after?.mentionRate)
            body += numberCell(H.probability(b.qValue), b.qValue)
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n"
        let withExamples = triggers.filter { !$0.examples.isEmpty }
        if !withExamples.isEmpty {
            body += "<h3 class=\"sub\">Examples</h3>\n<div class=\"cards triggers\">\n"
            for trigger in withExamples.prefix(ReportBuilder.triggerCards) {
                body += "<article class=\"card trigger\">\n<h4>“\(H.escape(trigger.term))” → \(H.escape(trigger.object))</h4>\n"
                body += "<p class=\"stats\">confidence \(H.ratio(trigger.before.confidence)) · lift \(H.lift(trigger.before.lift)) · mention rate \(change(H.ratio(trigger.before.mentionRate), changedAfter(trigger).map { H.ratio($0.mentionRate) }))</p>\n"
                body += "<div class=\"gallery small\">"
                for key in trigger.examples.prefix(ReportBuilder.thumbnailsPerTrigger) { body += figure(key, term: trigger.term) }
                body += "</div>\n"
                if trigger.examples.count > ReportBuilder.thumbnailsPerTrigger {
                    body += "<p class=\"more\">+\(trigger.examples.count - ReportBuilder.thumbnailsPerTrigger) more examples.</p>\n"
                }
                body += "</article>\n"
            }
            body += "</div>\n"
            body += more(withExamples.count - min(withExamples.count, ReportBuilder.triggerCards), "object triggers with examples")
        }
        return section("object-triggers", "Object triggers", body)
    }

    // MARK: Before and after

    func beforeAfterSection() -> String {
        let words = data.wordTriggers
        let objects = data.objectTriggers
        guard !words.isEmpty || !objects.isEmpty else {
            return section("before-after", "Before and after", empty("No triggers, so there is nothing to compare before and after."))
        }
        var body = "<p>Each trigger's statistic before the policy (grey) and as projected after it (teal). A trigger with no after bar is left as it was by the policy.</p>\n"
        body += "<div class=\"charts\">\n"
        if !words.isEmpty {
            let rows = Array(words.prefix(ReportBuilder.chartRows))
            body += ReportChart.pairedBars(
                id: "chart-top-share", title: "Top share of word triggers",
                rows: rows.map { .init(label: $0.term, before: $0.before.topShare, after: changedAfter($0)?.topShare) },
                format: H.ratio, scaleMax: 1)
            body += ReportChart.pairedBars(
                id: "chart-support", title: weighted ? "Support of word triggers (samples; after: by weight)" : "Support of word triggers (samples)",
                rows: rows.map { .init(label: $0.term, before: $0.before.support, after: changedAfter($0)?.support) },
                format: H.count, scaleMax: nil)
            body += ReportChart.pairedBars(
                id: "chart-collision", title: "Collision of word triggers",
                rows: rows.map { .init(label: $0.term, before: $0.before.collision, after: changedAfter($0)?.collision) },
                format: H.ratio, scaleMax: 1)
        }
        if !objects.isEmpty {
            let rows = Array(objects.prefix(ReportBuilder.chartRows))
            body += ReportChart.pairedBars(
                id: "chart-confidence", title: "Confidence of object triggers",
                rows: rows.map { .init(label: "\($0.term) → \($0.object)", before: $0.before.confidence, after: changedAfter($0)?.confidence) },
                format: H.ratio, scaleMax: 1)
            body += ReportChart.pairedBars(
                id: "chart-mention", title: "Mention rate of object triggers",
                rows: rows.map { .init(label: "\($0.term) → \($0.object)", before: $0.before.mentionRate, after: changedAfter($0)?.mentionRate) },
                format: H.ratio, scaleMax: 1)
        }
        body += "</div>\n"
        body += more(max(words.count, objects.count) - min(max(words.count, objects.count), ReportBuilder.chartRows), "triggers per chart (see the tables)")
        return section("before-after", "Before and after", body)
    }

    // MARK: Changes

    mutating func changesSection() -> String {
        let changes = data.changes
        let removed = data.removed
        let reweightedByRule = data.stats?.reweightedByRule ?? [:]
        guard !changes.isEmpty || !removed.isEmpty || weighted else {
            let text = mode == "audit" || mode == "apply" || data.stats != nil
                ? "The policy changes nothing: no sample is removed or reweighted and no caption is rewritten."
                : "No changes recorded."
            return section("changes", "What the policy changes", empty(text))
        }
        var body = ""
        if let stats = data.stats {
            body += "<p>\(H.count(stats.kept)) samples kept, \(H.count(stats.removed)) removed, \(H.count(stats.rewritten)) with a rewritten caption"
            body += ", \(H.count(stats.reweighted)) reweighted"
            body += mode == "audit" ? " (projected: this was a dry run).</p>\n" : ".</p>\n"
            if weighted {
                body += "<p>Reweighted samples stay in the cleaned list with a <code>weight</code> field below 1, for a"
                body += " trainer that samples by it or scales its loss; the “after” statistics count each sample by its"
                body += " weight, so a support that falls there does not mean samples were removed.</p>\n"
            }
        }
        // Counts by rule: removals, captions rewritten (a caption several rules rewrote counts under each, once per
        // rule however many of its terms the rule took out) and samples reweighted.
        var rules: [String: (removed: Int, rewritten: Set<String>, reweighted: Int)] = [:]
        for item in removed { rules[item.rule, default: (0, [], 0)].removed += 1 }
        for item in changes { rules[item.rule, default: (0, [], 0)].rewritten.insert(item.key) }
        for (rule, count) in reweightedByRule { rules[rule, default: (0, [], 0)].reweighted += count }
        var reasons: [String: Int] = [:]
        for item in removed { reasons[item.reason, default: 0] += 1 }
        body += "<div class=\"two-col\">\n<div><table class=\"sortable\"><caption>Actions by rule"
        body += " (a caption that several rules rewrote counts under each)</caption>"
        body += headerRow([("Rule", false), ("Removed", true), ("Captions rewritten", true), ("Reweighted", true)]) + "<tbody>\n"
        for rule in rules.keys.sorted() {
            let counts = rules[rule]!
            body += "<tr><th scope=\"row\">\(H.escape(rule))</th>"
            for value in [counts.removed, counts.rewritten.count, counts.reweighted] {
                body += numberCell(String(value), Double(value))
            }
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n<div>"
        if reasons.isEmpty {
            body += empty("No sample is removed.")
        } else {
            body += "<table class=\"sortable\"><caption>Removals by reason</caption>" + headerRow([("Reason", false), ("Samples", true)]) + "<tbody>\n"
            for reason in reasons.keys.sorted(by: { (reasons[$0]!, $1) > (reasons[$1]!, $0) }) {
                body += "<tr><th scope=\"row\">\(H.escape(reason))</th>\(numberCell(String(reasons[reason]!), Double(reasons[reason]!)))</tr>\n"
            }
            body += "</tbody></table>"
        }
        body += "</div>\n</div>\n"
        if changes.isEmpty {
            body += "<h3>Caption rewrites</h3>\n" + empty("No caption is rewritten.")
        } else {
            body += "<h3>Caption rewrites</h3>\n<ol class=\"rewrites\">\n"
            for item in changes.prefix(ReportBuilder.exampleChanges) {
                body += "<li class=\"rewrite\">" + figure(item.key, caption: item.after)
                body += "<div class=\"diff\"><p class=\"meta\"><code>\(H.escape(item.key))</code> <span class=\"badge rule\">\(H.escape(item.rule))</span></p>"
                let diff = WordDiff.html(before: item.before, after: item.after)
                body += "<p class=\"before\"><span class=\"tag\">before</span> \(diff.before)</p>"
                body += "<p class=\"after\"><span class=\"tag\">after</span> \(diff.after)</p></div></li>\n"
            }
            body += "</ol>\n"
            body += more(changes.count - min(changes.count, ReportBuilder.exampleChanges), "rewrites (all are in changes.jsonl)")
        }
        if !removed.isEmpty {
            body += "<h3>Removed samples</h3>\n<div class=\"gallery\">"
            for item in removed.prefix(ReportBuilder.exampleRemovals) {
                let badge = "<span class=\"badge reason\" title=\"\(H.escape(item.reason))\">\(H.escape(item.reason))</span>"
                if let key = item.key {
                    body += figure(key, caption: item.caption ?? captions[key], badge: badge)
                } else {
                    body += "<figure class=\"thumb\"><div class=\"no-thumb\" role=\"img\" aria-label=\"sample without key\">no key</div><figcaption>\(badge)</figcaption></figure>"
                }
            }
            body += "</div>\n"
            body += more(removed.count - min(removed.count, ReportBuilder.exampleRemovals), "removed samples (all are in removed.jsonl)")
        }
        return section("changes", "What the policy changes", body)
    }
}
