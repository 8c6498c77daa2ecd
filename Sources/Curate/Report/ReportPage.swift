import Foundation

/// Renders one `ReportData` as the HTML page; holds the per-build thumbnail cache so each key is shrunk once.
struct ReportPage {
    let data: ReportData
    let captions: [String: String]
    let thumbnail: (String) -> Data?
    /// Data URI per key already asked for (nil value: no thumbnail).
    var thumbnails: [String: String?] = [:]
    /// Clusters by id, for trigger cards.
    let clustersByID: [Int: ReportCluster]

    init(data: ReportData, captions: [String: String], thumbnail: @escaping (String) -> Data?) {
        self.data = data
        self.captions = captions
        self.thumbnail = thumbnail
        var byID: [Int: ReportCluster] = [:]
        for cluster in data.clusters where byID[cluster.id] == nil { byID[cluster.id] = cluster }
        clustersByID = byID
    }

    typealias H = HTMLText

    mutating func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '\(ReportStyle.scriptHash)'">
            <meta name="referrer" content="no-referrer">
            <title>\(H.escape(title))</title>
            <style>\(ReportStyle.css)</style>
            </head>
            <body>
            <header class="page-header">
            <h1>\(H.escape(title))</h1>
            <p class="subtitle">\(subtitle)</p>
            <nav aria-label="Sections"><ul>
            <li><a href="#summary">Summary</a></li>
            <li><a href="#clusters">Near-duplicate clusters</a></li>
            <li><a href="#word-triggers">Word triggers</a></li>
            <li><a href="#object-triggers">Object triggers</a></li>
            <li><a href="#before-after">Before and after</a></li>
            <li><a href="#changes">Policy changes</a></li>
            </ul></nav>
            </header>
            <main>

            """
        html += summarySection()
        html += clusterSection()
        html += wordTriggerSection()
        html += objectTriggerSection()
        html += beforeAfterSection()
        html += changesSection()
        html += """
            </main>
            <footer><p>Written by \(H.escape(data.run?.tool ?? "curate"))\(data.run?.version.map { " " + H.escape($0) } ?? ""). This page is self-contained: it loads nothing from the network.</p></footer>
            <script>\(ReportStyle.script)</script>
            </body>
            </html>

            """
        return html
    }

    var mode: String? { data.stats?.mode ?? data.run?.mode }

    var title: String {
        if let name = data.run?.policy?.name { return "curate report: \(name)" }
        return "curate report"
    }

    var subtitle: String {
        var parts: [String] = []
        if let mode { parts.append("<span class=\"badge mode-\(mode == "apply" ? "apply" : "audit")\">\(H.escape(mode))</span>") }
        if mode == "audit" {
            parts.append("Dry run: the “after” figures are what the policy would do; no manifest was written.")
        } else if mode == "apply" {
            parts.append("The policy was applied; the cleaned manifest sits next to this page.")
        }
        return parts.joined(separator: " ")
    }

    // MARK: Thumbnails

    /// A `<figure>` with the sample's thumbnail (or a placeholder) and its key and caption.
    mutating func figure(
        _ key: String, caption: String? = nil, term: String? = nil, badge: String? = nil, representative: Bool = false
    ) -> String {
        let text = caption ?? captions[key]
        let alt = H.escape(H.truncate(text.map { "\(key): \($0)" } ?? key, 300))
        var html = representative ? "<figure class=\"thumb representative\">" : "<figure class=\"thumb\">"
        if let uri = dataURI(key) {
            html += "<img src=\"\(uri)\" alt=\"\(alt)\" decoding=\"async\">"
        } else {
            html += "<div class=\"no-thumb\" role=\"img\" aria-label=\"\(alt)\">no image</div>"
        }
        html += "<figcaption><span class=\"key\">\(H.escape(H.truncate(key, 60)))</span>"
        if let badge { html += " " + badge }
        if let text {
            let shown = H.truncate(text, 160)
            html += "<span class=\"cap\">" + (term.map { H.highlight(shown, term: $0) } ?? H.escape(shown)) + "</span>"
        }
        html += "</figcaption></figure>"
        return html
    }

    mutating func dataURI(_ key: String) -> String? {
        if let cached = thumbnails[key] { return cached }
        var uri: String? = nil
        if let bytes = thumbnail(key), bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            uri = "data:image/jpeg;base64," + bytes.base64EncodedString()
        }
        thumbnails[key] = uri
        return uri
    }

    // MARK: Shared pieces

    func section(_ id: String, _ heading: String, _ body: String) -> String {
        "<section id=\"\(id)\" aria-labelledby=\"\(id)-h\">\n<h2 id=\"\(id)-h\">\(H.escape(heading))</h2>\n\(body)</section>\n"
    }

    func empty(_ text: String) -> String { "<p class=\"empty\">\(H.escape(text))</p>\n" }

    func more(_ hidden: Int, _ noun: String) -> String {
        hidden > 0 ? "<p class=\"more\">\(hidden) more \(H.escape(noun)) not shown.</p>\n" : ""
    }

    /// A coloured badge for one kind of cluster evidence.
    func evidenceBadge(_ evidence: String) -> String {
        let known = ["exact", "phash", "dhash", "pdq", "embedding"]
        let style = known.contains(evidence) ? evidence : "other"
        let label = ["exact": "exact copy", "phash": "pHash", "dhash": "dHash", "pdq": "PDQ", "embedding": "embedding"][evidence] ?? evidence
        return "<span class=\"badge ev-\(style)\">\(H.escape(label))</span>"
    }

    /// A numeric table cell with a sort value.
    func numberCell(_ text: String, _ value: Double?) -> String {
        "<td class=\"num\" data-v=\"\(H.sortValue(value))\">\(text)</td>"
    }

    /// A sortable table header row.
    func headerRow(_ columns: [(String, Bool)]) -> String {
        "<thead><tr>" + columns.map { name, numeric in
            "<th scope=\"col\"\(numeric ? " class=\"num\"" : "") data-sort=\"\(numeric ? "num" : "text")\">\(H.escape(name))</th>"
        }.joined() + "</tr></thead>"
    }

    /// Whether the policy gave samples a weight: the after statistics then count samples by weight.
    var weighted: Bool {
        (data.stats?.reweighted ?? 0) > 0 || !(data.stats?.reweightedByRule.isEmpty ?? true)
    }

    /// What an "after" column holds, for table captions.
    var afterMeaning: String {
        "projected by the policy, “–” where it leaves a trigger as it was"
            + (weighted ? "; support and copies after count each sample by its weight" : "")
    }

    /// A word trigger's after statistics, or nil when the policy leaves the shown ones as they were (an audit-only
    /// run measures after = before): the page then shows "–" and no after bar, as `docs/report.md` says.
    func changedAfter(_ trigger: ReportWordTrigger) -> ReportWordStats? {
        guard let after = trigger.after else { return nil }
        let b = trigger.before
        let pairs = [
            (b.support, after.support), (b.nTop, after.nTop), (b.topShare, after.topShare),
            (b.consistency, after.consistency), (b.collision, after.collision),
        ]
        return pairs.allSatisfy(Self.same) ? nil : after
    }

    /// An object trigger's after statistics, or nil when the policy leaves the shown ones as they were.
    func changedAfter(_ trigger: ReportObjectTrigger) -> ReportObjectStats? {
        guard let after = trigger.after else { return nil }
        let b = trigger.before
        let pairs = [
            (b.support, after.support), (b.withObject, after.withObject), (b.confidence, after.confidence),
            (b.lift, after.lift), (b.mentionRate, after.mentionRate),
        ]
        return pairs.allSatisfy(Self.same) ? nil : after
    }

    private static func same(_ pair: (Double?, Double?)) -> Bool {
        switch pair {
        case (nil, nil): return true
        case let (a?, b?): return a == b || abs(a - b) <= 1e-12 * max(1, abs(a), abs(b))
        default: return false
        }
    }

    /// `before → after` with the after part styled, or just `before` when there is no projection.
    func change(_ before: String, _ after: String?) -> String {
        guard let after, after != before else { return before }
        return "\(before) <span class=\"arrow\" aria-label=\"becomes\">→</span> <strong>\(after)</strong>"
    }
}
