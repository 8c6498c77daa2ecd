/// HTML escaping and number formatting for the report; everything that comes from data passes through here.
enum HTMLText {
    /// `text` safe to place in element content or a quoted attribute value.
    ///
    /// Escapes `& < > " '`; control characters (C0 except tab/newline, DEL, C1) become U+FFFD; bidirectional
    /// embedding, override and isolate characters are shown as visible `[U+202E]` markers so a hostile caption can
    /// neither hide nor reorder the text around it.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += " "
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) {
                    out += "\u{FFFD}"
                } else if isBidiControl(value) {
                    out += "[U+" + hex(value) + "]"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Bidi embeddings/overrides (U+202A–202E), isolates (U+2066–2069) and the implicit marks that can flip runs.
    static func isBidiControl(_ value: UInt32) -> Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x061C
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `text` cut to at most `limit` characters, with an ellipsis when cut.
    static func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// Escaped `caption` with every case-insensitive occurrence of `term` wrapped in `<mark>`.
    static func highlight(_ caption: String, term: String) -> String {
        guard !term.isEmpty else { return escape(caption) }
        let lowerCaption = Array(caption.lowercased())
        let lowerTerm = Array(term.lowercased())
        let characters = Array(caption)
        // Lowercasing can change the character count (rare scripts); then fall back to no highlight.
        guard lowerCaption.count == characters.count, lowerTerm.count <= characters.count else { return escape(caption) }
        var out = ""
        var start = 0
        var index = 0
        while index + lowerTerm.count <= lowerCaption.count {
            if Array(lowerCaption[index..<(index + lowerTerm.count)]) == lowerTerm {
                out += escape(String(characters[start..<index]))
                out += "<mark>" + escape(String(characters[index..<(index + lowerTerm.count)])) + "</mark>"
                index += lowerTerm.count
                start = index
            } else {
                index += 1
            }
        }
        out += escape(String(characters[start...]))
        return out
    }

    /// A count: whole numbers without decimals, others with one.
    static func count(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return fixed(value, 1)
    }

    static func count(_ value: Int?) -> String {
        guard let value else { return "–" }
        return String(value)
    }

    /// A share or ratio with three decimals.
    static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return value.map { $0.isNaN ? "NaN" : ($0 > 0 ? "∞" : "−∞") } ?? "–" }
        return fixed(value, 3)
    }

    /// A lift: two decimals.
    static func lift(_ value: Double?) -> String {
        guard let value, value.isFinite else { return ratio(value) }
        return fixed(value, 2)
    }

    /// A p- or q-value: scientific notation below 0.001.
    static func probability(_ value: Double?) -> String {
        guard let value, value.isFinite else { return ratio(value) }
        if value == 0 { return "0" }
        if abs(value) >= 0.001 { return fixed(value, 3) }
        var exponent = 0
        var mantissa = abs(value)
        while mantissa < 1 {
            mantissa *= 10
            exponent -= 1
        }
        var rounded = (mantissa * 10).rounded() / 10
        if rounded >= 10 {
            rounded /= 10
            exponent += 1
        }
        return (value < 0 ? "-" : "") + fixed(rounded, 1) + "e" + String(exponent)
    }

    /// Seconds with two decimals.
    static func seconds(_ value: Double) -> String { value.isFinite ? fixed(value, 2) + " s" : "–" }

    /// `value` with `digits` decimals, locale-free so the report's bytes never depend on the machine.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let whole = Int(scaled) / Int(scale)
        let fraction = Int(scaled) % Int(scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fractionText = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// A value for a `data-v` sort attribute: a plain number, or empty when missing.
    static func sortValue(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return String(value)
    }
}
