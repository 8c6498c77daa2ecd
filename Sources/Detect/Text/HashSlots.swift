internal import CPrefetch

/// An open-addressing map from 64-bit hashes to non-negative `Int32` ids, for the vocabulary's hot path.
///
/// The keys are already XXH3 hashes, so they index the table directly (no re-hashing as `Dictionary` does with
/// SipHash); linear probing over a power-of-two table kept at most 3/4 full, 12 bytes a slot (an id of -1 marks an
/// empty slot).
struct HashSlots {
    private var keys: [UInt64]
    private var values: [Int32]
    private(set) var count = 0

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
    }

    /// The id stored for `key`, if any.
    func value(for key: UInt64) -> Int32? {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while values[slot] >= 0 {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Asks for the slot where a lookup of `key` starts to be brought into cache.
    func prefetch(_ key: UInt64) {
        let slot = Int(truncatingIfNeeded: key) & (keys.count - 1)
        keys.withUnsafeBufferPointer { curate_prefetch($0.baseAddress! + slot) }
        values.withUnsafeBufferPointer { curate_prefetch($0.baseAddress! + slot) }
    }

    /// Stores `value` (≥ 0) for a `key` that is not yet present.
    mutating func insert(_ key: UInt64, _ value: Int32) {
        precondition(value >= 0, "HashSlots stores non-negative ids")
        if (count + 1) * 4 > keys.count * 3 { grow() }
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while values[slot] >= 0 { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] = value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        count = 0
        for slot in 0..<oldKeys.count where oldValues[slot] >= 0 { insert(oldKeys[slot], oldValues[slot]) }
    }
}
