/// SplitMix64: a small, fast generator whose output depends only on its seed, on every platform.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one sample and one purpose: the policy seed mixed with the key and a salt (rule, term).
    public init(seed: UInt64, key: String, salt: String) {
        var hasher = FNV1a64()
        hasher.combine(seed)
        hasher.combine(key)
        hasher.combine(salt)
        self.init(seed: hasher.value)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform index in `0..<count` (count > 0), without modulo bias worth speaking of for small counts.
    public mutating func index(_ count: Int) -> Int {
        Int(next() % UInt64(count))
    }
}
