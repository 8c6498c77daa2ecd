/// Hex forms that match the Python tools, so hashes can be compared with imagehash and PDQ output directly.
extension PerceptualHashes {
    /// `str(imagehash.phash(img))`: 16 lowercase hex digits.
    public var phashHex: String { hex64(phash) }
    /// `str(imagehash.dhash(img))`.
    public var dhashHex: String { hex64(dhash) }
    /// The PDQ reference's 64-digit hex.
    public var pdqHex: String { pdq.hex }
}

extension PDQHash {
    /// The reference's hex: the 256-bit number with bit k = 2^k, most significant digit first.
    public var hex: String { hex64(words.3) + hex64(words.2) + hex64(words.1) + hex64(words.0) }

    /// Parses the reference's 64-digit hex; nil when it is not exactly 64 hex digits.
    public init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count == 64 else { return nil }
        var words: [UInt64] = []
        for i in 0..<4 {
            guard let w = parseHex64(String(decoding: chars[(i * 16)..<(i * 16 + 16)], as: UTF8.self)) else { return nil }
            words.append(w)
        }
        self.init(words[3], words[2], words[1], words[0])
    }
}

/// Parses 1...16 hex digits (imagehash's `hex_to_hash` form for 64-bit hashes); nil for anything else.
public func parseHex64(_ text: String) -> UInt64? {
    guard !text.isEmpty, text.utf8.count <= 16, text.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
        return nil
    }
    return UInt64(text, radix: 16)
}

/// Hamming distance between two 64-bit hashes.
@inline(__always) public func hammingDistance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }
