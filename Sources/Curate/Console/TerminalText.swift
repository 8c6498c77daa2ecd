/// Text from the input shown on a terminal, made inert.
///
/// Keys, paths and captions come from untrusted files. Printed raw, an ESC sequence can clear the screen or
/// rewrite earlier lines, and a right-to-left override can make a warning read as something else. Such
/// characters are shown as `\u{…}` escapes instead.
public enum TerminalText {
    /// `text` with C0 and C1 control characters (tab included), DEL, and bidirectional formatting characters
    /// replaced by visible `\u{XX}` escapes.
    public static func inert(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // LRM, RLM, ALM; embeddings and overrides LRE…RLO; isolates LRI…PDI.
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
