/// A field's value as the readers interpret it.
enum FieldValue: Equatable {
    /// A string (or, in JSON, a number's source text); `lossy` when decoding replaced something with U+FFFD.
    case text(String, lossy: Bool)
    /// JSON `null`.
    case null
    /// A JSON object, array or boolean where a string was wanted.
    case other

    init(_ value: String, encoding: Record.Encoding) {
        guard encoding == .json else {
            self = .text(value, lossy: false)
            return
        }
        switch value.utf8.first ?? 0 {
        case UInt8(ascii: "\""):
            if let (text, lossy) = JSONString.decodeLiteral(value) {
                self = .text(text, lossy: lossy)
            } else {
                self = .other
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): self = .text(value, lossy: false)
        case UInt8(ascii: "n"): self = .null
        default: self = .other
        }
    }
}
