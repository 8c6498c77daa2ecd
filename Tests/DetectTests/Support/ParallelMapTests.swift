@testable import Detect
import Synchronization
import Testing

/// Counts live instances, so a test can see that results are released.
private final class Tracked: Sendable {
    static let live = Atomic<Int>(0)
    let value: Int
    init(_ value: Int) {
        self.value = value
        Tracked.live.add(1, ordering: .relaxed)
    }
    deinit { Tracked.live.subtract(1, ordering: .relaxed) }
}

@Suite(.serialized) struct ParallelMapTests {
    @Test("keeps input order on several threads", arguments: [1, 2, 4])
    func keepsOrder(jobs: Int) {
        let input = Array(0..<1000)
        #expect(parallelMap(input, jobs: jobs) { $0 * 3 } == input.map { $0 * 3 })
    }

    @Test("releases every result it made: nothing is left alive once the caller drops them")
    func releasesResults() {
        let before = Tracked.live.load(ordering: .relaxed)
        do {
            let results = parallelMap(Array(0..<500), jobs: 2) { Tracked($0) }
            #expect(results.map(\.value) == Array(0..<500))
        }
        #expect(Tracked.live.load(ordering: .relaxed) == before)
    }
}
