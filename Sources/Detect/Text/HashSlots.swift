/// An open-addressing map from 64-bit hashes to `Int32` ids, for the vocabulary's hot path.
///
/// The keys are already XXH3 hashes, so they index the table directly (no re-hashing as `Dictionary` does with
/// SipHash); linear probing over a power-of-two table kept at most half full.
struct HashSlots {
    private var keys: [UInt64]
    private var values: [Int32]
    private var occupied: [Bool]
    private(set) var count = 0

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        occupied = [Bool](repeating: false, count: size)
    }

    /// The id stored for `key`, if any.
    func value(for key: UInt64) -> Int32? {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while occupied[slot] {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Stores `value` for a `key` that is not yet present.
    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while occupied[slot] { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] = value
        occupied[slot] = true
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let oldOccupied = occupied
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        occupied = [Bool](repeating: false, count: size)
        count = 0
        for slot in 0..<oldKeys.count where oldOccupied[slot] { insert(oldKeys[slot], oldValues[slot]) }
    }
}
