/// Direct near-duplicate links between samples, each with the kinds of evidence that found it.
public struct NearDuplicateLinks: Sendable, Hashable {
    /// Sorted, unique pair keys `a << 32 | b` with `a < b`.
    public private(set) var keys: [UInt64] = []
    /// Evidence bits per key (bit `i` = `Evidence.allCases[i]`).
    public private(set) var masks: [UInt8] = []

    public init() {}

    /// Number of linked pairs.
    public var count: Int { keys.count }

    /// The pair at `index`.
    public func pair(_ index: Int) -> (a: Int, b: Int, evidence: Set<Evidence>) {
        (Int(keys[index] >> 32), Int(keys[index] & 0xFFFF_FFFF), Self.evidence(masks[index]))
    }

    /// The evidence kinds in a mask.
    static func evidence(_ mask: UInt8) -> Set<Evidence> {
        Set(Evidence.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
    }

    static func bit(_ evidence: Evidence) -> UInt8 { 1 << UInt8(Evidence.allCases.firstIndex(of: evidence)!) }

    /// Adds sorted unique `pairs` found by `evidence`, merging with the pairs already present.
    public mutating func merge(_ pairs: [UInt64], as evidence: Evidence) {
        merge(pairs, as: Self.bit(evidence))
    }

    /// Adds sorted unique `pairs` with the evidence bits `bit`.
    private mutating func merge(_ pairs: [UInt64], as bit: UInt8) {
        var newKeys: [UInt64] = []
        var newMasks: [UInt8] = []
        newKeys.reserveCapacity(keys.count + pairs.count)
        newMasks.reserveCapacity(keys.count + pairs.count)
        var i = 0
        var j = 0
        while i < keys.count || j < pairs.count {
            if j == pairs.count || (i < keys.count && keys[i] < pairs[j]) {
                newKeys.append(keys[i])
                newMasks.append(masks[i])
                i += 1
            } else if i == keys.count || pairs[j] < keys[i] {
                newKeys.append(pairs[j])
                newMasks.append(bit)
                j += 1
            } else {
                newKeys.append(keys[i])
                newMasks.append(masks[i] | bit)
                i += 1
                j += 1
            }
        }
        keys = newKeys
        masks = newMasks
    }

    /// Adds the links of `other` with each sample in `replacing` swapped for its stand-in, those whose two
    /// samples then pass `include`.
    mutating func merge(_ other: NearDuplicateLinks, replacing: [Int: Int], keeping include: (Int) -> Bool) {
        var pairs: [(key: UInt64, mask: UInt8)] = []
        for i in 0..<other.count {
            var a = Int(other.keys[i] >> 32)
            var b = Int(other.keys[i] & 0xFFFF_FFFF)
            a = replacing[a] ?? a
            b = replacing[b] ?? b
            if a != b && include(a) && include(b) { pairs.append((pairKey(a, b), other.masks[i])) }
        }
        for bit in Evidence.allCases.map(Self.bit) {
            merge(sortedUnique(pairs.filter { $0.mask & bit != 0 }.map(\.key)), as: bit)
        }
    }
}
