import Curate
import Foundation
import Testing

/// The report's numbers say what they count: the trigger cards, reweighting, the two rewrite counts, and triggers
/// the policy leaves as they were.
@Suite struct ReportCountsTests {
    static func stats(_ json: String) throws -> ReportStats {
        try JSONDecoder().decode(ReportStats.self, from: Data(json.utf8))
    }

    static func page(_ data: ReportData, captions: [String: String] = [:]) -> String {
        ReportBuilder.html(data: data, captions: captions) { _ in nil }
    }

    static func card(_ html: String, _ term: String) throws -> String {
        try #require(html.matches("(<article class=\"card trigger\">\n<h4>“\(term)”.*?</article>)").first, "card of \(term)")
    }

    @Test("a trigger card counts the top cluster's copies from the statistics, not from the dozen examples listed")
    func cardCounts() throws {
        // The /tmp/trigger-eval case: 72 samples, 60 in cluster 16; triggers.json lists 12 of them, 8 distinct captions.
        let keys = (0..<12).map { "vg-\($0)" }
        var captions: [String: String] = [:]
        for (index, key) in keys.enumerated() { captions[key] = "van gogh style, variant \(index % 8)" }
        let trigger = ReportWordTrigger(
            term: "van gogh style", before: ReportWordStats(support: 72, topCluster: 16, nTop: 60, topShare: 0.833),
            after: ReportWordStats(support: 17, topCluster: 16, nTop: 5, topShare: 0.294), examples: keys)
        let card = try Self.card(Self.page(ReportData(wordTriggers: [trigger]), captions: captions), "van gogh style")
        #expect(card.contains("8 shown of the 60 samples in cluster 16 that carry the term (72 carry it in all)."))
        #expect(card.contains("Distinct captions among the 12 examples listed (8)"))
        #expect(!card.contains("more examples"))
        #expect(!card.contains("Distinct captions carrying the term"))
    }

    @Test("a trigger the policy leaves as it was shows “–” and no after bar, as docs/report.md says")
    func untouchedTrigger() throws {
        let same = ReportWordStats(support: 40, topCluster: 2, nTop: 25, topShare: 0.625, consistency: 1, collision: 0.385)
        var changed = same
        changed.nTop = 5
        changed.support = 20
        changed.topShare = 0.25
        let data = ReportData(wordTriggers: [
            ReportWordTrigger(term: "acme", before: same, after: same),
            ReportWordTrigger(term: "creme", before: same, after: changed),
        ])
        let html = Self.page(data)
        let row = try #require(html.matches("(<tr><th scope=\"row\">acme</th>.*?</tr>)").first)
        // Support, dup. fraction, top cluster, copies, top share, top share after, consistency, collision,
        // collision after, p, q.
        let cells = row.matches("<td[^>]*>(.*?)</td>")
        #expect(cells.count == 11 && cells[5] == "–" && cells[8] == "–", "\(cells)")
        #expect(cells[0] == "40" && cells[3] == "25", "no “40 → 40”: \(cells)")
        let chart = try #require(html.matches("(<svg id=\"chart-top-share\".*?</svg>)").first)
        // One legend swatch, then one after bar: creme's.
        #expect(chart.occurrences(of: "<rect class=\"bar after\"") == 1 + 1)
        #expect(try Self.card(html, "acme").contains("support 40 · top share 0.625"))

        let docs = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/report.md"),
            encoding: .utf8)
        #expect(docs.contains("“–”, and no after bar in the charts, means the policy leaves the trigger's statistics"))
    }

    @Test("reweighted samples are counted in the summary and by rule, and weighted support is labelled so")
    func reweighting() throws {
        let stats = try Self.stats(
            """
            {"before": {"samples": 2584}, "after": {"samples": 2468, "kept": 2468, "removed": 116, "rewritten": 0,
             "reweighted": 40, "reweighted_by_rule": {"actions[1].rebalance": 40}}, "mode": "apply"}
            """)
        #expect(stats.reweighted == 40 && stats.reweightedByRule == ["actions[1].rebalance": 40])
        let trigger = ReportWordTrigger(
            term: "acme", before: ReportWordStats(support: 40, topCluster: 2, nTop: 25, topShare: 0.625),
            after: ReportWordStats(support: 20, topCluster: 2, nTop: 5, topShare: 0.25))
        let removed = (0..<116).map { ReportRemoval(key: "d\($0)", reason: "exact duplicate", rule: "actions[0].dedupe") }
        let html = Self.page(ReportData(wordTriggers: [trigger], stats: stats, removed: removed))
        #expect(html.contains("2468 / 116 / 0 / 40"))
        #expect(html.contains("2468 samples kept, 116 removed, 0 with a rewritten caption, 40 reweighted."))
        let row = try #require(html.matches("(<tr><th scope=\"row\">actions\\[1\\]\\.rebalance</th>.*?</tr>)").first)
        #expect(row.matches(">([0-9]+)</td>") == ["0", "0", "40"])
        #expect(html.contains("support and copies after count each sample by its weight"))
        #expect(try Self.card(html, "acme").contains("support 40 <span class=\"arrow\" aria-label=\"becomes\">→</span> <strong>20</strong> <span class=\"muted\">(after: by weight)</span>"))

        // A policy that only reweights changes something.
        let only = try Self.stats(#"{"before": {"samples": 10}, "after": {"reweighted": 4, "reweighted_by_rule": {"actions[0].rebalance": 4}}}"#)
        #expect(!Self.page(ReportData(stats: only)).contains("The policy changes nothing"))
    }

    @Test("captions rewritten count samples: once in the summary, once per rule in the table, and say so")
    func rewriteCounts() throws {
        let changes = [
            ReportChange(key: "a", before: "x y", after: "x", rule: "actions[0].rewrite_captions"),
            ReportChange(key: "a", before: "x", after: "x 7", rule: "actions[1].rewrite_captions"),
            ReportChange(key: "b", before: "van gogh painting", after: "painting", rule: "actions[0].rewrite_captions"),
            ReportChange(key: "b", before: "painting", after: "", rule: "actions[0].rewrite_captions"),
        ]
        let stats = try Self.stats(#"{"before": {"samples": 2}, "after": {"kept": 2, "removed": 0, "rewritten": 2}}"#)
        let html = Self.page(ReportData(stats: stats, changes: changes))
        #expect(html.contains("2 samples kept, 0 removed, 2 with a rewritten caption"))
        #expect(html.contains("Actions by rule (a caption that several rules rewrote counts under each)"))
        #expect(html.contains(">Captions rewritten</th>") && !html.contains(">Caption rewrites</th>"))
        let first = try #require(html.matches("(<tr><th scope=\"row\">actions\\[0\\]\\.rewrite_captions</th>.*?</tr>)").first)
        #expect(first.matches(">([0-9]+)</td>") == ["0", "2", "0"])
    }
}
