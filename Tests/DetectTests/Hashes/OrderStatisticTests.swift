import CurateTestSupport
@testable import Detect
import Testing

/// The selection that replaced full sorts in the median steps of pHash and PDQ must pick the value a sort would.
@Suite struct OrderStatisticTests {
    @Test("select returns sorted()[k], with ties and any order", arguments: [64, 256, 7])
    func matchesSort(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        for round in 0..<200 {
            // Every fourth round draws from a few values only, so ties are common.
            let values: [Float] = (0..<count).map { _ in
                round % 4 == 0 ? Float(generator.next() % 5) : Float(Int64(generator.next() % 2001) - 1000) / 7
            }
            let sorted = values.sorted()
            for k in [0, count / 2 - 1, count / 2, count - 1] where k >= 0 {
                #expect(OrderStatistic.select(values, k) == sorted[k], "round \(round), k \(k)")
            }
        }
    }

    @Test("middlePair returns sorted()[31] and sorted()[32] of 64 values, with ties and any order")
    func middlePairMatchesSort() {
        var generator = SeededGenerator(seed: 64)
        for round in 0..<500 {
            // Rounds alternate between many distinct values, a few repeated ones, and one value throughout.
            let values: [Float] = (0..<64).map { _ in
                switch round % 3 {
                case 0: Float(Int64(generator.next() % 2001) - 1000) / 7
                case 1: Float(generator.next() % 4) - 1.5
                default: 2.5
                }
            }
            let sorted = values.sorted()
            let pair = values.withUnsafeBufferPointer { OrderStatistic.middlePair(of64: $0.baseAddress!) }
            #expect(pair.lower == sorted[31] && pair.upper == sorted[32], "round \(round)")
        }
    }

    @Test("pHash bits are the coefficients above numpy's median, first coefficient in bit 63")
    func phashBitsAgainstScalar() {
        var generator = SeededGenerator(seed: 7)
        for round in 0..<300 {
            let values: [Float] = (0..<64).map { _ in
                round % 2 == 0 ? Float(Int64(generator.next() % 2001) - 1000) / 3 : Float(generator.next() % 3)
            }
            let sorted = values.sorted()
            let median = (sorted[31] + sorted[32]) / 2
            var expected: UInt64 = 0
            for i in 0..<64 where values[i] > median { expected |= 1 << UInt64(63 - i) }
            #expect(DCTHash.bits(values) == expected, "round \(round)")
        }
    }
}
