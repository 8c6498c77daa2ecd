import CurateTestSupport
@testable import Detect
import Testing

/// The selection that replaced full sorts in the median steps of pHash and PDQ must pick the value a sort would.
@Suite struct OrderStatisticTests {
    @Test("select returns sorted()[k] and partitions around it, with ties and any order", arguments: [64, 256, 7])
    func matchesSort(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
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
}
