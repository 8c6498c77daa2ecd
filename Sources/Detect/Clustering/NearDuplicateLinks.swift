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

    /// Whether the pair at `index` rests on weak pHash evidence alone (one pair of views at the edge of the threshold).
    public func isWeak(_ index: Int) -> Bool { Self.isWeak(masks[index]) }

    /// The evidence kinds in a mask.
    static func evidence(_ mask: UInt8) -> Set<Evidence> {
        Set(Evidence.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
    }

    static func bit(_ evidence: Evidence) -> UInt8 { 1 << UInt8(Evidence.allCases.firstIndex(of: evidence)!) }

    /// Marks pHash evidence that is weak: one pair of views meeting at the edge of the threshold (see
    /// ``NearDuplicateClusterer/splitPHashPairs(_:limit:frameLimit:codes:oriented:picture:faintCheck:)``). Not an
    /// ``Evidence`` kind, so never reported.
    static let weakBit: UInt8 = 1 << 7

    /// Whether a link with this mask rests on weak pHash evidence alone.
    static func isWeak(_ mask: UInt8) -> Bool {
        mask & weakBit != 0 && mask & ~(weakBit | bit(.phash)) == 0
    }

    /// Adds sorted unique `pairs` found by `evidence`, merging with the pairs already present; `weak` marks them
    /// as weak pHash evidence.
    public mutating func merge(_ pairs: [UInt64], as evidence: Evidence, weak: Bool = false) {
        let bit = Self.bit(evidence) | (weak ? Self.weakBit : 0)
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

    /// The links with each sample renamed by `rename`, nil dropping its links; links that then join a sample to
    /// itself are dropped, and links that meet on one pair keep all their evidence.
    func renamed(_ rename: (Int) -> Int?) -> NearDuplicateLinks {
        var pairs: [(key: UInt64, mask: UInt8)] = []
        for i in keys.indices {
            guard let a = rename(Int(keys[i] >> 32)), let b = rename(Int(keys[i] & 0xFFFF_FFFF)), a != b else { continue }
            pairs.append((pairKey(a, b), masks[i]))
        }
        pairs.sort { $0.key < $1.key }
        var result = NearDuplicateLinks()
        for pair in pairs {
            if result.keys.last == pair.key {
                result.masks[result.masks.count - 1] |= pair.mask
            } else {
                result.keys.append(pair.key)
                result.masks.append(pair.mask)
            }
        }
        return result
    }
}
