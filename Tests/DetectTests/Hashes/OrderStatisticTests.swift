@testable import Detect
import Testing

/// The selection that replaced full sorts in the median steps of pHash and PDQ must pick the value a sort would.
@Suite struct OrderStatisticTests {
    @Test("select returns sorted()[k] and partitions around it, with ties and any order", arguments: [64, 256, 7])
    func matchesSort(count: Int) {
        var generator = SplitMix(seed: UInt64(count))
        for round in 0..<200 {
            // Every fourth round draws from a few values only, so ties are common.
            let values: [Float] = (0..<count).map { _ in
                round % 4 == 0 ? Float(generator.next() % 5) : Float(Int64(generator.next() % 2001) - 1000) / 7
            }
            let sorted = values.sorted()
            for k in [0, count / 2 - 1, count / 2, count - 1] where k >= 0 {
                var scratch = values
                let value = OrderStatistic.select(&scratch, k)
                #expect(value == sorted[k])
                #expect(scratch[..<k].allSatisfy { $0 <= value } && scratch[(k + 1)...].allSatisfy { $0 >= value })
                #expect(scratch.sorted() == sorted)
            }
        }
    }

    /// A small deterministic generator (SplitMix64), so the cases are the same on every run.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
