/// XXH3-128 of an image file's bytes: equal values mean byte-identical files.
public struct ContentHash: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// 32 lowercase hex digits, high half first (the canonical XXH128 form).
    public var description: String { hex64(high) + hex64(low) }

    public static func < (a: ContentHash, b: ContentHash) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }
}

/// 16 lowercase hex digits of a 64-bit value.
public func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
