/// Inline SVG charts for the report: no script, a `<title>` on every bar so hovering or a screen reader tells
/// the value.
enum ReportChart {
    /// One labelled pair of values.
    struct Row {
        var label: String
        var before: Double?
        var after: Double?
    }

    static let width = 640.0
    static let labelWidth = 180.0
    static let valueWidth = 64.0
    static let rowHeight = 34.0
    static let barHeight = 12.0
    static let top = 38.0

    /// A horizontal bar chart with a before bar and an after bar per row.
    /// - Parameters:
    ///   - scaleMax: The value of a full-width bar; nil scales to the largest value.
    static func pairedBars(
        id: String, title: String, rows: [Row], format: (Double?) -> String, scaleMax: Double?
    ) -> String {
        typealias H = HTMLText
        let values = rows.flatMap { [$0.before, $0.after] }.compactMap { $0 }.filter(\.isFinite)
        let maximum = max(scaleMax ?? values.max() ?? 1, values.max() ?? 0, 1e-12)
        let plot = width - labelWidth - valueWidth
        let height = top + Double(rows.count) * rowHeight + 8
        var svg = "<figure class=\"chart\">\n"
        svg += "<svg id=\"\(id)\" class=\"bars\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-labelledby=\"\(id)-t\" preserveAspectRatio=\"xMinYMin meet\">\n"
        svg += "<title id=\"\(id)-t\">\(H.escape(title)): before and after, one pair of bars per trigger</title>\n"
        svg += "<text class=\"chart-title\" x=\"0\" y=\"14\">\(H.escape(title))</text>\n"
        svg += "<rect class=\"bar before\" x=\"\(f(width - 150))\" y=\"5\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"\(f(width - 136))\" y=\"14\">before</text>\n"
        svg += "<rect class=\"bar after\" x=\"\(f(width - 80))\" y=\"5\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"\(f(width - 66))\" y=\"14\">after</text>\n"
        svg += "<line class=\"axis\" x1=\"\(f(labelWidth))\" y1=\"\(f(top - 6))\" x2=\"\(f(labelWidth))\" y2=\"\(f(height - 4))\"/>\n"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let label = H.escape(H.truncate(row.label, 20))
            svg += "<g class=\"row\">"
            svg += "<text class=\"label\" x=\"\(f(labelWidth - 8))\" y=\"\(f(y + barHeight + 3))\" text-anchor=\"end\"><title>\(H.escape(row.label))</title>\(label)</text>"
            svg += bar("before", row.label, row.before, y: y, maximum: maximum, plot: plot, format: format)
            svg += bar("after", row.label, row.after, y: y + barHeight + 2, maximum: maximum, plot: plot, format: format)
            svg += "</g>\n"
        }
        svg += "</svg>\n</figure>\n"
        return svg
    }

    static func bar(
        _ kind: String, _ label: String, _ value: Double?, y: Double, maximum: Double, plot: Double,
        format: (Double?) -> String
    ) -> String {
        typealias H = HTMLText
        guard let value, value.isFinite else {
            let note = kind == "after" ? "no change projected" : "no value"
            return "<text class=\"value muted\" x=\"\(f(labelWidth + 4))\" y=\"\(f(y + barHeight - 1))\">\(note)</text>"
        }
        let length = max(0, min(1, value / maximum)) * plot
        let titleText = H.escape("\(label): \(kind) \(format(value))")
        var text = "<rect class=\"bar \(kind)\" x=\"\(f(labelWidth))\" y=\"\(f(y))\" width=\"\(f(max(length, 1)))\" height=\"\(f(barHeight))\" rx=\"2\">"
        text += "<title>\(titleText)</title></rect>"
        text += "<text class=\"value\" x=\"\(f(labelWidth + max(length, 1) + 4))\" y=\"\(f(y + barHeight - 1))\">\(H.escape(format(value)))</text>"
        return text
    }

    /// A coordinate with one decimal, locale-free.
    static func f(_ value: Double) -> String { HTMLText.fixed(value, 1) }
}
