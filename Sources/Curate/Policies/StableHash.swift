import Detect

/// 64-bit FNV-1a: a tiny, platform-independent hash for policy content and per-sample seeds.
///
/// Swift's `Hasher` is randomly seeded per process, so it cannot be used for anything that must repeat.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    init() {}

    mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    mutating func combine(_ string: String) {
        combine(bytes: string.utf8)
        // A separator so ("ab", "c") and ("a", "bc") differ.
        combine(bytes: [0xff])
    }

    mutating func combine(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { combine(bytes: $0) }
    }
}

/// FNV-1a 64 of some bytes as 16 hex digits, for content digests in `run.json`.
public func stableDigest<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var hasher = FNV1a64()
    hasher.combine(bytes: bytes)
    return hex64(hasher.value)
}
