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
            fact("Kept / removed / rewritten", "\(H.count(stats.kept)) / \(H.count(stats.removed)) / \(H.count(stats.rewritten))")
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
        body += "<div class=\"table-wrap\"><table class=\"sortable\"><caption>\(triggers.count) word triggers (after = projected by the policy)</caption>"
        body += headerRow([
            ("Term", false), ("Support", true), ("Dup. fraction", true), ("Top cluster", true), ("Copies in top", true),
            ("Top share", true), ("Top share after", true), ("Consistency", true), ("Collision", true),
            ("Collision after", true), ("p", true), ("q", true),
        ])
        body += "<tbody>\n"
        for trigger in triggers {
            let b = trigger.before
            body += "<tr><th scope=\"row\">\(H.escape(trigger.term))</th>"
            body += numberCell(change(H.count(b.support), trigger.after.map { H.count($0.support) }), b.support)
            body += numberCell(H.ratio(b.dupFraction), b.dupFraction)
            let top = b.topCluster.map { id in clustersByID[id] != nil ? "<a href=\"#cluster-\(id)\">\(id)</a>" : String(id) } ?? "–"
            body += numberCell(top, b.topCluster.map(Double.init))
            // The bound a rebalance meets: with one picture per term the share stays 1 whatever is cut.
            body += numberCell(change(H.count(b.nTop), trigger.after.map { H.count($0.nTop) }), b.nTop)
            body += numberCell(H.ratio(b.topShare), b.topShare)
            body += numberCell(H.ratio(trigger.after?.topShare), trigger.after?.topShare)
            body += numberCell(H.ratio(b.consistency), b.consistency)
            body += numberCell(H.ratio(b.collision), b.collision)
            body += numberCell(H.ratio(trigger.after?.collision), trigger.after?.collision)
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
        var html = "<article class=\"card trigger\">\n<h4>“\(H.escape(trigger.term))”</h4>\n<p class=\"stats\">"
        html += "support \(change(H.count(b.support), trigger.after.map { H.count($0.support) })) · "
        html += "top share \(change(H.ratio(b.topShare), trigger.after.map { H.ratio($0.topShare) }))"
        if let id = b.topCluster {
            html += " · " + (clustersByID[id] != nil ? "<a href=\"#cluster-\(id)\">cluster \(id)</a>" : "cluster \(id)")
        }
        html += "</p>\n"
        let keys = exampleKeys(trigger)
        if keys.isEmpty {
            html += "<p class=\"empty\">No example samples listed.</p>\n"
        } else {
            html += "<div class=\"gallery small\">"
            for key in keys.prefix(ReportBuilder.thumbnailsPerTrigger) { html += figure(key, term: trigger.term) }
            html += "</div>\n"
            if keys.count > ReportBuilder.thumbnailsPerTrigger {
                html += "<p class=\"more\">+\(keys.count - ReportBuilder.thumbnailsPerTrigger) more examples.</p>\n"
            }
        }
        var texts = trigger.captions
        if texts.isEmpty { texts = keys.compactMap { captions[$0] } }
        var seen = Set<String>()
        texts = texts.filter { seen.insert($0).inserted }
        if !texts.isEmpty {
            let shown = texts.count > 10 ? "10 of \(texts.count)" : "\(texts.count)"
            html += "<details><summary>Distinct captions carrying the term (\(shown))</summary><ul class=\"captions\">"
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
        body += "<div class=\"table-wrap\"><table class=\"sortable\"><caption>\(triggers.count) object triggers (after = projected by the policy)</caption>"
        body += headerRow([
            ("Term", false), ("Object", false), ("Support", true), ("With object", true), ("Confidence", true),
            ("Base rate", true), ("Lift", true), ("Mention rate", true), ("Mention rate after", true), ("q", true),
        ])
        body += "<tbody>\n"
        for trigger in triggers {
            let b = trigger.before
            body += "<tr><th scope=\"row\">\(H.escape(trigger.term))</th><td>\(H.escape(trigger.object))</td>"
            body += numberCell(H.count(b.support), b.support)
            body += numberCell(H.count(b.withObject), b.withObject)
            body += numberCell(change(H.ratio(b.confidence), trigger.after.map { H.ratio($0.confidence) }), b.confidence)
            body += numberCell(H.ratio(b.baseRate), b.baseRate)
            body += numberCell(H.lift(b.lift), b.lift)
            body += numberCell(H.ratio(b.mentionRate), b.mentionRate)
            body += numberCell(H.ratio(trigger.after?.mentionRate), trigger.after?.mentionRate)
            body += numberCell(H.probability(b.qValue), b.qValue)
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n"
        let withExamples = triggers.filter { !$0.examples.isEmpty }
        if !withExamples.isEmpty {
            body += "<h3 class=\"sub\">Examples</h3>\n<div class=\"cards triggers\">\n"
            for trigger in withExamples.prefix(ReportBuilder.triggerCards) {
                body += "<article class=\"card trigger\">\n<h4>“\(H.escape(trigger.term))” → \(H.escape(trigger.object))</h4>\n"
                body += "<p class=\"stats\">confidence \(H.ratio(trigger.before.confidence)) · lift \(H.lift(trigger.before.lift)) · mention rate \(change(H.ratio(trigger.before.mentionRate), trigger.after.map { H.ratio($0.mentionRate) }))</p>\n"
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
        var body = "<p>Each trigger's statistic before the policy (grey) and as projected after it (teal). A trigger with no after bar is left alone by the policy.</p>\n"
        body += "<div class=\"charts\">\n"
        if !words.isEmpty {
            let rows = Array(words.prefix(ReportBuilder.chartRows))
            body += ReportChart.pairedBars(
                id: "chart-top-share", title: "Top share of word triggers",
                rows: rows.map { .init(label: $0.term, before: $0.before.topShare, after: $0.after?.topShare) },
                format: H.ratio, scaleMax: 1)
            body += ReportChart.pairedBars(
                id: "chart-support", title: "Support of word triggers (samples)",
                rows: rows.map { .init(label: $0.term, before: $0.before.support, after: $0.after?.support) },
                format: H.count, scaleMax: nil)
            body += ReportChart.pairedBars(
                id: "chart-collision", title: "Collision of word triggers",
                rows: rows.map { .init(label: $0.term, before: $0.before.collision, after: $0.after?.collision) },
                format: H.ratio, scaleMax: 1)
        }
        if !objects.isEmpty {
            let rows = Array(objects.prefix(ReportBuilder.chartRows))
            body += ReportChart.pairedBars(
                id: "chart-confidence", title: "Confidence of object triggers",
                rows: rows.map { .init(label: "\($0.term) → \($0.object)", before: $0.before.confidence, after: $0.after?.confidence) },
                format: H.ratio, scaleMax: 1)
            body += ReportChart.pairedBars(
                id: "chart-mention", title: "Mention rate of object triggers",
                rows: rows.map { .init(label: "\($0.term) → \($0.object)", before: $0.before.mentionRate, after: $0.after?.mentionRate) },
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
        guard !changes.isEmpty || !removed.isEmpty else {
            let text = mode == "audit" || mode == "apply" || data.stats != nil
                ? "The policy changes nothing: no sample is removed and no caption is rewritten."
                : "No changes recorded."
            return section("changes", "What the policy changes", empty(text))
        }
        var body = ""
        if let stats = data.stats {
            body += "<p>\(H.count(stats.kept)) samples kept, \(H.count(stats.removed)) removed, \(H.count(stats.rewritten)) captions rewritten"
            body += mode == "audit" ? " (projected: this was a dry run).</p>\n" : ".</p>\n"
        }
        // Counts by rule.
        var rules: [String: (removed: Int, rewritten: Int)] = [:]
        for item in removed { rules[item.rule, default: (0, 0)].removed += 1 }
        for item in changes { rules[item.rule, default: (0, 0)].rewritten += 1 }
        var reasons: [String: Int] = [:]
        for item in removed { reasons[item.reason, default: 0] += 1 }
        body += "<div class=\"two-col\">\n<div><table class=\"sortable\"><caption>Actions by rule</caption>"
        // A caption one rule rewrote for several terms, or several rules rewrote, counts once per rewrite here.
        body += headerRow([("Rule", false), ("Removed", true), ("Caption rewrites", true)]) + "<tbody>\n"
        for rule in rules.keys.sorted() {
            let counts = rules[rule]!
            body += "<tr><th scope=\"row\">\(H.escape(rule))</th>\(numberCell(String(counts.removed), Double(counts.removed)))\(numberCell(String(counts.rewritten), Double(counts.rewritten)))</tr>\n"
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
