internal import Yams

/// A YAML node with the key path that led to it, so every validation error can say where it is.
struct PolicyNode {
    let node: Node
    let path: String
    let file: String

    /// An error at this node.
    func error(_ message: String) -> PolicyError {
        PolicyError(file: file, line: node.mark?.line, column: node.mark?.column, keyPath: path, message: message)
    }

    private func child(_ node: Node, key: String) -> PolicyNode {
        PolicyNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// A short rendering of the node for messages.
    var shown: String {
        switch node {
        case .scalar(let scalar): return "`\(scalar.string)`"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The YAML type in words, for "expected X, found Y" messages.
    var typeName: String {
        switch node {
        case .scalar:
            switch node.tag.rawValue {
            case Tag.Name.int.rawValue: return "an integer \(shown)"
            case Tag.Name.float.rawValue: return "a number \(shown)"
            case Tag.Name.bool.rawValue: return "a boolean \(shown)"
            case Tag.Name.null.rawValue: return "null"
            default: return "the text \(shown)"
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    var isNull: Bool {
        if case .scalar = node, node.tag.rawValue == Tag.Name.null.rawValue { return true }
        return false
    }

    /// The entries of a mapping, checked against `allowed` keys (unknown keys are errors with a suggestion).
    func mapping(allowed: [String]) throws(PolicyError) -> [(key: String, value: PolicyNode)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping with keys \(allowed.joined(separator: ", ")), found \(typeName)")
        }
        var seen = Set<String>()
        var entries: [(key: String, value: PolicyNode)] = []
        for (keyNode, valueNode) in mapping {
            let keyHere = PolicyNode(node: keyNode, path: path, file: file)
            guard case .scalar(let scalar) = keyNode else { throw keyHere.error("keys must be plain words") }
            let key = scalar.string
            guard allowed.contains(key) else {
                var message = "unknown key `\(key)`"
                if let suggestion = closestMatch(to: key, in: allowed) { message += "; did you mean `\(suggestion)`?" }
                message += " Allowed keys here: \(allowed.joined(separator: ", "))."
                throw PolicyNode(node: keyNode, path: path.isEmpty ? key : "\(path).\(key)", file: file).error(message)
            }
            guard seen.insert(key).inserted else {
                throw PolicyNode(node: keyNode, path: path.isEmpty ? key : "\(path).\(key)", file: file)
                    .error("key `\(key)` appears twice; keep one")
            }
            entries.append((key, child(valueNode, key: key)))
        }
        return entries
    }

    /// The items of a list.
    func sequence() throws(PolicyError) -> [PolicyNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(typeName)") }
        return sequence.enumerated().map { PolicyNode(node: $0.element, path: "\(path)[\($0.offset)]", file: file) }
    }

    /// A list of strings; a single string is accepted as a list of one.
    func strings(nonEmpty: Bool = true) throws(PolicyError) -> [String] {
        let items: [PolicyNode]
        if case .scalar = node { items = [self] } else { items = try sequence() }
        var values: [String] = []
        for item in items { values.append(try item.string()) }
        if nonEmpty && values.isEmpty { throw error("the list is empty; give at least one value") }
        return values
    }

    /// A text value (any non-null scalar is taken as written).
    func string() throws(PolicyError) -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected text, found \(typeName)") }
        return scalar.string
    }

    /// A boolean (`true`/`false`).
    func bool() throws(PolicyError) -> Bool {
        guard case .scalar = node, node.tag.rawValue == Tag.Name.bool.rawValue, let value = node.bool else {
            throw error("expected true or false, found \(typeName)")
        }
        return value
    }

    /// An integer within `range`.
    func int(in range: ClosedRange<Int>, meaning: String) throws(PolicyError) -> Int {
        guard case .scalar = node, node.tag.rawValue == Tag.Name.int.rawValue else {
            throw error("expected a whole number (\(meaning)), found \(typeName)")
        }
        guard let value = node.int else {
            throw error("\(shown) is too large; the largest is \(range.upperBound) (\(meaning))")
        }
        guard range.contains(value) else {
            throw error("\(value) is out of range; use \(describe(range)) (\(meaning))")
        }
        return value
    }

    /// A number (integer or decimal) within `range`.
    func number(in range: ClosedRange<Double>, meaning: String) throws(PolicyError) -> Double {
        guard case .scalar = node,
            node.tag.rawValue == Tag.Name.int.rawValue || node.tag.rawValue == Tag.Name.float.rawValue,
            let value = node.float,
            value.isFinite
        else {
            throw error("expected a number (\(meaning)), found \(typeName)")
        }
        guard range.contains(value) else {
            throw error(
                "\(shown) is out of range; use a value between \(format(range.lowerBound)) and \(format(range.upperBound)) (\(meaning))"
            )
        }
        return value
    }

    /// One of an enumeration's raw values, with a suggestion for a typo.
    func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) throws(PolicyError) -> Choice
    where Choice.RawValue == String {
        let options = Choice.allCases.map(\.rawValue)
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected one of \(options.joined(separator: ", ")), found \(typeName)")
        }
        if let value = Choice(rawValue: scalar.string) { return value }
        var message = "unknown value `\(scalar.string)`"
        if let suggestion = closestMatch(to: scalar.string, in: options) {
            message += "; did you mean `\(suggestion)`?"
        }
        throw error(message + " Use one of: \(options.joined(separator: ", ")).")
    }

    private func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "a whole number ≥ \(range.lowerBound)" }
        return "a whole number from \(range.lowerBound) to \(range.upperBound)"
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A canonical rendering of the content: sorted mapping keys, resolved scalar tags, no comments or layout.
    var canonicalText: String {
        switch node {
        case .scalar(let scalar): return "\(node.tag.rawValue)=\(scalar.string.debugDescription)"
        case .sequence(let sequence):
            return "["
                + sequence.map { PolicyNode(node: $0, path: "", file: file).canonicalText }.joined(separator: ",") + "]"
        case .mapping(let mapping):
            let pairs = mapping.map { pair in
                (
                    PolicyNode(node: pair.key, path: "", file: file).canonicalText,
                    PolicyNode(node: pair.value, path: "", file: file).canonicalText
                )
            }
            return "{" + pairs.sorted { $0.0 < $1.0 }.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}"
        case .alias: return "alias"
        }
    }
}
