/// Why a line is not a valid JSON object.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0-based byte offset in the line where the problem was found.
    public var offset: Int
    public var message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at column \(offset + 1)" }
}

/// One top-level member of a JSON object: its decoded name and where its value's source text lies.
public struct JSONMember: Sendable, Hashable {
    /// The member name, decoded (escapes resolved).
    public var name: String
    /// Byte range of the value's exact source text within the object's bytes.
    public var value: Range<Int>
    /// True when the name held invalid UTF-8 or a lone surrogate and was decoded lossily.
    public var nameIsLossy: Bool
}

/// A strict splitter for one JSON object: validates the whole text against RFC 8259 and returns the
/// top-level members with the exact source text of each value, so values pass through byte-for-byte.
///
/// Nested values are validated iteratively with an explicit stack, so deep nesting cannot overflow the
/// call stack; nesting deeper than `maxDepth` is rejected. UTF-8 inside strings is not checked here:
/// callers check it when they turn bytes into `String`.
public struct JSONObjectSplitter: Sendable {
    public let maxDepth: Int
    private var stack: [UInt8] = []

    public init(maxDepth: Int = 512) {
        self.maxDepth = maxDepth
        stack.reserveCapacity(32)
    }

    /// Splits `bytes`, which must hold one JSON object and nothing else but whitespace.
    public mutating func split(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> [JSONMember] {
        var members: [JSONMember] = []
        try split(bytes, into: &members)
        return members
    }

    /// Splits `bytes` into `members`, replacing its contents (lets a reader reuse one array for every line).
    public mutating func split(_ bytes: UnsafeRawBufferPointer, into members: inout [JSONMember])
        throws(JSONSyntaxError)
    {
        let text = bytes.bindMemory(to: UInt8.self)
        let count = text.count
        members.removeAll(keepingCapacity: true)
        var index = skipSpace(text, 0)
        guard index < count else { throw JSONSyntaxError(offset: index, "empty line") }
        guard text[index] == UInt8(ascii: "{") else {
            throw JSONSyntaxError(offset: index, "not a JSON object (a line must start with '{')")
        }
        index = skipSpace(text, index + 1)
        if index < count, text[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                guard index < count, text[index] == UInt8(ascii: "\"") else {
                    throw JSONSyntaxError(offset: index, "expected a quoted member name")
                }
                let nameStart = index
                index = try scanString(text, index)
                let (name, lossy) = JSONString.decode(
                    UnsafeBufferPointer(rebasing: text[(nameStart + 1)..<(index - 1)]))
                index = skipSpace(text, index)
                guard index < count, text[index] == UInt8(ascii: ":") else {
                    throw JSONSyntaxError(offset: index, "expected ':' after member name")
                }
                index = skipSpace(text, index + 1)
                let valueStart = index
                index = try scanValue(text, index)
                members.append(JSONMember(name: name, value: valueStart..<index, nameIsLossy: lossy))
                index = skipSpace(text, index)
                guard index < count else { throw JSONSyntaxError(offset: index, "unterminated object (missing '}')") }
                if text[index] == UInt8(ascii: ",") {
                    index = skipSpace(text, index + 1)
                    continue
                }
                guard text[index] == UInt8(ascii: "}") else {
                    throw JSONSyntaxError(offset: index, "expected ',' or '}' after a member value")
                }
                index += 1
                break
            }
        }
        index = skipSpace(text, index)
        guard index == count else { throw JSONSyntaxError(offset: index, "unexpected text after the object") }
    }

    @inline(__always)
    private func skipSpace(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start
        while index < text.count {
            switch text[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    /// Validates one value starting at `start` and returns the index just past it.
    private mutating func scanValue(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) throws(JSONSyntaxError) -> Int {
        let count = text.count
        var index = start
        stack.removeAll(keepingCapacity: true)
        while true {
            // Parse one value (or open a container).
            guard index < count else { throw JSONSyntaxError(offset: index, "expected a value") }
            switch text[index] {
            case UInt8(ascii: "{"):
                guard stack.count + 1 < maxDepth else {
                    throw JSONSyntaxError(offset: index, "nested deeper than \(maxDepth) levels")
                }
                index = skipSpace(text, index + 1)
                if index < count, text[index] == UInt8(ascii: "}") {
                    index += 1
                } else {
                    stack.append(UInt8(ascii: "{"))
                    index = try scanMemberName(text, index)
                    continue
                }
            case UInt8(ascii: "["):
                guard stack.count + 1 < maxDepth else {
                    throw JSONSyntaxError(offset: index, "nested deeper than \(maxDepth) levels")
                }
                index = skipSpace(text, index + 1)
                if index < count, text[index] == UInt8(ascii: "]") {
                    index += 1
                } else {
                    stack.append(UInt8(ascii: "["))
                    continue
                }
            case UInt8(ascii: "\""):
                index = try scanString(text, index)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                index = try scanNumber(text, index)
            case UInt8(ascii: "t"):
                index = try scanLiteral(text, index, "true")
            case UInt8(ascii: "f"):
                index = try scanLiteral(text, index, "false")
            case UInt8(ascii: "n"):
                index = try scanLiteral(text, index, "null")
            default:
                throw JSONSyntaxError(offset: index, "expected a value")
            }
            // A value is complete: close containers or move to the next element.
            while true {
                guard let container = stack.last else { return index }
                index = skipSpace(text, index)
                guard index < count else {
                    throw JSONSyntaxError(
                        offset: index, "unterminated \(container == UInt8(ascii: "{") ? "object" : "array")")
                }
                let byte = text[index]
                if byte == UInt8(ascii: ",") {
                    index = skipSpace(text, index + 1)
                    if container == UInt8(ascii: "{") { index = try scanMemberName(text, index) }
                    break
                }
                if (byte == UInt8(ascii: "}") && container == UInt8(ascii: "{"))
                    || (byte == UInt8(ascii: "]") && container == UInt8(ascii: "["))
                {
                    index += 1
                    stack.removeLast()
                    continue
                }
                throw JSONSyntaxError(
                    offset: index, container == UInt8(ascii: "{") ? "expected ',' or '}'" : "expected ',' or ']'")
            }
            index = skipSpace(text, index)
        }
    }

    /// Scans `"name" :` inside a nested object and returns the index of the value.
    private func scanMemberName(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) throws(JSONSyntaxError) -> Int {
        guard start < text.count, text[start] == UInt8(ascii: "\"") else {
            throw JSONSyntaxError(offset: start, "expected a quoted member name")
        }
        var index = skipSpace(text, try scanString(text, start))
        guard index < text.count, text[index] == UInt8(ascii: ":") else {
            throw JSONSyntaxError(offset: index, "expected ':' after member name")
        }
        index = skipSpace(text, index + 1)
        return index
    }

    /// Validates a string starting at its opening quote and returns the index past the closing quote.
    private func scanString(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) throws(JSONSyntaxError) -> Int {
        var index = start + 1
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            if byte < 0x20 { throw JSONSyntaxError(offset: index, "control character in a string (must be escaped)") }
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < count else { break }
                switch text[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < count, (2...5).allSatisfy({ JSONString.hexValue(text[index + $0]) != nil }) else {
                        throw JSONSyntaxError(offset: index, "\\u must be followed by four hex digits")
                    }
                    index += 6
                default:
                    throw JSONSyntaxError(offset: index, "invalid escape sequence")
                }
                continue
            }
            index += 1
        }
        throw JSONSyntaxError(offset: start, "unterminated string")
    }

    private func scanNumber(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) throws(JSONSyntaxError) -> Int {
        let count = text.count
        var index = start
        func isDigit(_ i: Int) -> Bool { i < count && text[i] >= UInt8(ascii: "0") && text[i] <= UInt8(ascii: "9") }
        if text[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw JSONSyntaxError(offset: index, "invalid number") }
        if text[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw JSONSyntaxError(offset: index, "invalid number (leading zero)") }
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { throw JSONSyntaxError(offset: index, "invalid number (no digits after '.')") }
            while isDigit(index) { index += 1 }
        }
        if index < count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw JSONSyntaxError(offset: index, "invalid number (no exponent digits)") }
            while isDigit(index) { index += 1 }
        }
        return index
    }

    private func scanLiteral(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ literal: StaticString)
        throws(JSONSyntaxError) -> Int
    {
        let length = literal.utf8CodeUnitCount
        guard start + length <= text.count else { throw JSONSyntaxError(offset: start, "expected a value") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: length)
        for offset in 0..<length where text[start + offset] != expected[offset] {
            throw JSONSyntaxError(offset: start, "expected a value")
        }
        return start + length
    }
}
