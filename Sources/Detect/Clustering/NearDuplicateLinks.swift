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
        let bit = Self.bit(evidence)
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
}
