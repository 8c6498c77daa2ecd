import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Expansion of shard lists as webdataset writes them: brace lists (`{a,b}`), numeric brace ranges with
/// zero padding (`{00000..00009}`) and shell globs (`*`, `?`, `[...]`, matches sorted by name).
public enum InputPattern {
    /// The paths `pattern` names, in order. A path that exists as written is returned unchanged.
    /// - Throws: `DatasetInputError` for an unbalanced brace or a glob that matches nothing.
    public static func expand(_ pattern: String) throws(DatasetInputError) -> [String] {
        if FileManager.default.fileExists(atPath: pattern) { return [pattern] }
        var paths: [String] = []
        for expanded in try expandBraces(pattern, original: pattern) {
            guard expanded.contains(where: { "*?[".contains($0) }) else {
                paths.append(expanded)
                continue
            }
            let matches = glob(expanded)
            if matches.isEmpty {
                throw DatasetInputError(path: expanded, "the pattern matches no file; check the folder and the pattern")
            }
            paths += matches
        }
        return paths
    }

    /// Brace expansion, outermost-first, left to right.
    static func expandBraces(_ pattern: String, original: String) throws(DatasetInputError) -> [String] {
        let characters = Array(pattern)
        guard let open = characters.firstIndex(of: "{") else {
            if characters.contains("}") { throw DatasetInputError(path: original, "unbalanced '}' in the pattern") }
            return [pattern]
        }
        var depth = 0
        var close: Int?
        var commas: [Int] = []
        for index in open..<characters.count {
            switch characters[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { close = index }
            case "," where depth == 1: commas.append(index)
            default: break
            }
            if close != nil { break }
        }
        guard let close else { throw DatasetInputError(path: original, "unbalanced '{' in the pattern") }
        let prefix = String(characters[..<open])
        let suffix = String(characters[(close + 1)...])
        let body = String(characters[(open + 1)..<close])
        var alternatives: [String]
        if commas.isEmpty {
            guard let range = numericRange(body) else {
                throw DatasetInputError(
                    path: original, "'{\(body)}' is neither a list '{a,b}' nor a range '{00000..00009}'")
            }
            alternatives = range
        } else {
            var parts: [String] = []
            var start = open + 1
            for comma in commas + [close] {
                parts.append(String(characters[start..<comma]))
                start = comma + 1
            }
            alternatives = parts
        }
        var results: [String] = []
        for alternative in alternatives {
            results += try expandBraces(prefix + alternative + suffix, original: original)
        }
        return results
    }

    /// `["007", "008", ...]` for `007..012`; zero padding follows the wider operand when either has a leading zero.
    static func numericRange(_ body: String) -> [String]? {
        let parts = body.components(separatedBy: "..")
        guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), !parts[0].hasPrefix("+"),
            !parts[1].hasPrefix("+")
        else { return nil }
        let padded = (parts[0].count > 1 && parts[0].hasPrefix("0")) || (parts[1].count > 1 && parts[1].hasPrefix("0"))
        let width = padded ? max(parts[0].count, parts[1].count) : 0
        let values = low <= high ? Array(low...high) : Array((high...low).reversed())
        guard values.count <= 1_000_000 else { return nil }
        return values.map { value in
            let digits = String(value)
            return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        }
    }

    /// Files matching a shell glob, sorted by name.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }
}
