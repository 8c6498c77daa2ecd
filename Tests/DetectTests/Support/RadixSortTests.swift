@testable import Detect
import Testing

@Suite struct RadixSortTests {
    /// SplitMix64, so the keys are the same on every run.
    static func keys(_ count: Int, seed: UInt64, mask: UInt64 = .max) -> [UInt64] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (z ^ (z >> 31)) & mask
        }
    }

    @Test("sorts as the standard library does: random keys, repeats, keys sharing digits, short arrays")
    func matchesStandardSort() {
        let cases: [[UInt64]] = [
            Self.keys(100_000, seed: 1),
            // Many repeats: only 16 distinct keys.
            Self.keys(50_000, seed: 2, mask: 0xF),
            // High digits all zero (those passes are skipped), and the top bit set on some keys only.
            Self.keys(30_000, seed: 3, mask: 0x3F_FFFF),
            Self.keys(30_000, seed: 4, mask: 0x8000_0000_0000_00FF),
            // Already sorted and reversed.
            (0..<20_000).map { UInt64($0) * 1_000_003 },
            (0..<20_000).reversed().map { UInt64($0) << 40 },
            // Below the cut-over to the standard sort, and empty.
            Self.keys(4096, seed: 5),
            [],
        ]
        for keys in cases {
            var sorted = keys
            RadixSort.sort(&sorted)
            #expect(sorted == keys.sorted(), "\(keys.count) keys")
        }
    }

    @Test("sortedUnique drops repeats of the sorted pair keys")
    func sortedUniqueDropsRepeats() {
        let keys = Self.keys(20_000, seed: 6, mask: 0x3FF)
        #expect(sortedUnique(keys) == Array(Set(keys)).sorted())
    }
}
