@testable import Detect
import Testing

/// A seeded generator so every test run sees the same codes.
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_B9E9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `code` with `count` distinct random bits flipped (`words` × 64 bits).
    mutating func flip(_ code: [UInt64], bits count: Int) -> [UInt64] {
        var code = code
        var chosen = Set<Int>()
        while chosen.count < count { chosen.insert(Int.random(in: 0..<(64 * code.count), using: &self)) }
        for bit in chosen { code[bit / 64] ^= 1 << UInt64(bit % 64) }
        return code
    }
}

/// Runs the search over `views` (owner, code words), one view per call of the enumeration.
func searchPairs(
    _ views: [(owner: Int, code: [UInt64])], bits: Int, radius: Int, plan: ChunkPlan? = nil, kernel: ProbeKernel = .best
) -> [UInt64] {
    let enumerate: HammingPairSearch.Views = { part, parts, body in
        for view in views[HammingPairSearch.part(part, of: parts, count: views.count)] {
            view.code.withUnsafeBufferPointer { body(view.owner, $0) }
        }
    }
    guard let plan else { return HammingPairSearch.pairs(bits: bits, maxDistance: radius, views: enumerate) }
    return HammingPairSearch.pairs(bits: bits, maxDistance: radius, plan: plan, kernel: kernel, views: enumerate)
}

@Suite struct HammingPairSearchTests {
    /// Samples with several views: random codes plus planted copies at distances around the radius.
    static func samples(count: Int, words: Int, radius: Int, seed: UInt64) -> [[[UInt64]]] {
        var random = TestRandom(seed)
        var samples: [[[UInt64]]] = []
        while samples.count < count {
            let base = (0..<words).map { _ in random.next() }
            let viewCount = Int.random(in: 1...3, using: &random)
            samples.append([base] + (1..<viewCount).map { _ in (0..<words).map { _ in random.next() } })
            // Copies whose first or a later view lands near some view of the base, across the threshold.
            for _ in 0..<Int.random(in: 0...3, using: &random) where samples.count < count {
                let source = samples.last![Int.random(in: 0..<samples.last!.count, using: &random)]
                let near = random.flip(source, bits: Int.random(in: 0...(radius + 3), using: &random))
                var views = [(0..<words).map { _ in random.next() }]
                views.insert(near, at: Int.random(in: 0...1, using: &random))
                samples.append(views)
            }
        }
        return samples
    }

    static func bruteForce(_ samples: [[[UInt64]]], radius: Int) -> [UInt64] {
        // Flattened views, plain loops: this runs in debug builds.
        var flat: [UInt64] = []
        var owner: [Int] = []
        let words = samples[0][0].count
        for (i, views) in samples.enumerated() {
            for v in views {
                flat += v
                owner.append(i)
            }
        }
        var pairs = Set<UInt64>()
        flat.withUnsafeBufferPointer { f in
            for x in 0..<owner.count {
                for y in (x + 1)..<owner.count where owner[x] != owner[y] {
                    var distance = 0
                    for w in 0..<words { distance += (f[x * words + w] ^ f[y * words + w]).nonzeroBitCount }
                    if distance <= radius { pairs.insert(UInt64(min(owner[x], owner[y])) << 32 | UInt64(max(owner[x], owner[y]))) }
                }
            }
        }
        return pairs.sorted()
    }

    @Test("64-bit search over all views equals brute force, with the best and the baseline probe loop", arguments: [0, 4, 10, 16])
    func exact64(radius: Int) {
        let samples = Self.samples(count: 1500, words: 1, radius: radius, seed: UInt64(100 + radius))
        let views = samples.enumerated().flatMap { i, views in views.map { (owner: i, code: $0) } }
        let plan = ChunkPlan(bits: 64, entries: views.count, radius: radius)
        let truth = Self.bruteForce(samples, radius: radius)
        #expect(truth.count > 50)
        #expect(searchPairs(views, bits: 64, radius: radius) == truth)
        #expect(searchPairs(views, bits: 64, radius: radius, plan: plan, kernel: .baseline) == truth)
        // All views of a sample in one call, as the clusterer enumerates them.
        let batched = HammingPairSearch.pairs(bits: 64, maxDistance: radius) { part, parts, body in
            for i in HammingPairSearch.part(part, of: parts, count: samples.count) {
                samples[i].flatMap { $0 }.withUnsafeBufferPointer { body(i, $0) }
            }
        }
        #expect(batched == truth)
    }

    @Test("64-bit codes whose owners do not fit beside them (owner numbers wider than the chunk) equal brute force")
    func ownersStoredApart() {
        let radius = 6
        let samples = Self.samples(count: 1500, words: 1, radius: radius, seed: 7)
        // Owner numbers 4096 apart need 23 bits, more than the 12-bit chunks of ~3000 views: the table cannot pack.
        let spread = 4096
        let views = samples.enumerated().flatMap { i, views in views.map { (owner: i * spread, code: $0) } }
        let truth = Self.bruteForce(samples, radius: radius).map { key in
            (key >> 32) * UInt64(spread) << 32 | (key & 0xFFFF_FFFF) * UInt64(spread)
        }
        #expect(truth.count > 50)
        let plan = ChunkPlan(bits: 64, entries: views.count, radius: radius)
        #expect(plan.chunks.allSatisfy { $0.width < 23 })
        #expect(searchPairs(views, bits: 64, radius: radius) == truth)
        #expect(searchPairs(views, bits: 64, radius: radius, plan: plan, kernel: .baseline) == truth)
    }

    @Test("256-bit (PDQ) search over all views equals brute force, with the best and the baseline probe loop", arguments: [8, 31, 48])
    func exact256(radius: Int) {
        let samples = Self.samples(count: 1000, words: 4, radius: radius, seed: UInt64(200 + radius))
        let views = samples.enumerated().flatMap { i, views in views.map { (owner: i, code: $0) } }
        let plan = ChunkPlan(bits: 256, entries: views.count, radius: radius)
        let truth = Self.bruteForce(samples, radius: radius)
        #expect(truth.count > 50)
        #expect(searchPairs(views, bits: 256, radius: radius) == truth)
        #expect(searchPairs(views, bits: 256, radius: radius, plan: plan, kernel: .baseline) == truth)
    }

    @Test("crowded buckets (codes a few bits from one code) equal brute force, 64 and 256 bits, both probe loops")
    func crowdedBuckets() {
        // Each bucket and its partners then hold hundreds of codes: the probe's buffer of partner codes grows
        // several times within one bucket.
        for words in [1, 4] {
            var random = TestRandom(UInt64(500 + words))
            let centre = (0..<words).map { _ in random.next() }
            let samples = (0..<800).map { _ in
                (0..<Int.random(in: 1...2, using: &random)).map { _ in
                    random.flip(centre, bits: Int.random(in: 0...5, using: &random))
                }
            }
            let views = samples.enumerated().flatMap { i, views in views.map { (owner: i, code: $0) } }
            let radius = 4
            let plan = ChunkPlan(bits: 64 * words, entries: views.count, radius: radius)
            let truth = Self.bruteForce(samples, radius: radius)
            #expect(truth.count > 10_000 && truth.count < 800 * 799 / 2)
            #expect(searchPairs(views, bits: 64 * words, radius: radius) == truth)
            #expect(searchPairs(views, bits: 64 * words, radius: radius, plan: plan, kernel: .baseline) == truth)
        }
    }

    @Test("the 3-chunk plan of inputs over 2M views (radii 2, 1, 1) equals brute force", arguments: [4, 6, 8])
    func wideChunks(radius: Int) {
        let plan = ChunkPlan(bits: 64, entries: 20_000_000, radius: radius)
        #expect(plan.chunks.map(\.width) == [22, 21, 21])
        #expect(plan.exactDistance >= radius)
        #expect(ChunkPlan(bits: 64, entries: 1 << 21, radius: radius).chunks.map(\.width) == [16, 16, 16, 16])
        let samples = Self.samples(count: 1500, words: 1, radius: radius, seed: UInt64(400 + radius))
        let views = samples.enumerated().flatMap { i, views in views.map { (owner: i, code: $0) } }
        let truth = Self.bruteForce(samples, radius: radius)
        #expect(truth.count > 50)
        #expect(searchPairs(views, bits: 64, radius: radius, plan: plan) == truth)
    }

    @Test("PDQ's capped plan (chunk radii 1) at 4M views: every pair within 23 bits, over 0.99 of pairs at 0...31")
    func cappedPDQPlan() {
        let plan = ChunkPlan(bits: 256, entries: 4_000_000, radius: 31, maximumChunkRadius: 1)
        #expect(plan.chunks.count == 12)
        #expect(plan.chunks.allSatisfy { $0.radius == 1 })
        #expect(plan.exactDistance == 23)
        #expect(ChunkPlan(bits: 256, entries: 4_000_000, radius: 31).exactDistance == 31)
        // Pairs planted at every distance 0...31, 64 of each, among unrelated random codes.
        var random = TestRandom(31)
        var views: [(owner: Int, code: [UInt64])] = []
        var distanceOfPair: [UInt64: Int] = [:]
        for d in 0...31 {
            for _ in 0..<64 {
                let base = (0..<4).map { _ in random.next() }
                let owner = views.count
                views.append((owner, base))
                views.append((owner + 1, random.flip(base, bits: d)))
                distanceOfPair[UInt64(owner) << 32 | UInt64(owner + 1)] = d
            }
        }
        let found = searchPairs(views, bits: 256, radius: 31, plan: plan)
        // Nothing but the planted pairs (unrelated random codes are ~128 bits apart).
        #expect(found.allSatisfy { distanceOfPair[$0] != nil })
        let foundSet = Set(found)
        let missed = distanceOfPair.filter { !foundSet.contains($0.key) }.map(\.value)
        #expect(missed.allSatisfy { $0 > 23 }, "missed at distances \(missed.sorted())")
        #expect(Double(found.count) / Double(distanceOfPair.count) >= 0.99, "missed at distances \(missed.sorted())")
    }

    @Test("pHash's capped plan (chunk radii 1, exact up to 5) at 20M views: every pair within 5 bits, 6 of 7 at 6")
    func cappedPHashPlan() {
        let plan = ChunkPlan(bits: 64, entries: 20_000_000, radius: 6, maximumChunkRadius: 1, exactUpTo: 5)
        #expect(plan.chunks.map(\.width) == [22, 21, 21])
        #expect(plan.chunks.allSatisfy { $0.radius == 1 })
        #expect(plan.exactDistance == 5)
        // Where the cap would leave the search exact to fewer bits, the plan stays whole: a larger limit at 20M
        // views, and the four 16-bit chunks of smaller inputs, which the cap does not change.
        #expect(ChunkPlan(bits: 64, entries: 20_000_000, radius: 8, maximumChunkRadius: 1, exactUpTo: 7).exactDistance == 8)
        let small = ChunkPlan(bits: 64, entries: 1 << 20, radius: 6, maximumChunkRadius: 1, exactUpTo: 5)
        #expect(small.chunks.map(\.radius) == ChunkPlan(bits: 64, entries: 1 << 20, radius: 6).chunks.map(\.radius))
        #expect(small.exactDistance == 6)
        // Pairs planted at 0...6 bits, 400 at 6 (the rest 64 each), among unrelated random codes.
        var random = TestRandom(6)
        var views: [(owner: Int, code: [UInt64])] = []
        var distanceOfPair: [UInt64: Int] = [:]
        for d in 0...6 {
            for _ in 0..<(d == 6 ? 400 : 64) {
                let base = [random.next()]
                let owner = views.count
                views.append((owner, base))
                views.append((owner + 1, random.flip(base, bits: d)))
                distanceOfPair[UInt64(owner) << 32 | UInt64(owner + 1)] = d
            }
        }
        let found = Set(searchPairs(views, bits: 64, radius: 6, plan: plan))
        // Nothing but the planted pairs (unrelated random codes are ~32 bits apart).
        #expect(found.isSubset(of: Set(distanceOfPair.keys)))
        let missed = distanceOfPair.filter { !found.contains($0.key) }.map(\.value)
        #expect(missed.allSatisfy { $0 == 6 }, "missed at distances \(missed.sorted())")
        // A 6-bit pair is missed when each chunk holds two of its bits: C(22,2)·C(21,2)² / C(64,6) = 0.136.
        let missedShare = Double(missed.count) / 400
        #expect(missedShare > 0.07 && missedShare < 0.21, "missed \(missed.count) of 400 pairs at 6 bits")
    }

    @Test("codes that differ only in the high chunks and across word boundaries are found")
    func boundaryChunks() {
        let views: [(owner: Int, code: [UInt64])] = [
            (0, [0, 0, 0, 0]),
            (1, [0, 0, 0, 0xFFFF_0000_0000_0000]),  // 16 bits in the last chunk
            (2, [1 << 63, 1, 0, 0]),  // bits on both sides of a word boundary
            (3, [0, 0, 0xFFFF_FFFF, 0xFFFF_FFFF]),  // 64 bits: too far
        ]
        // 1 and 2 differ in 18 bits.
        let expected: [UInt64] = [1, 2]
        #expect(searchPairs(views, bits: 256, radius: 16) == expected)
        #expect(searchPairs(views, bits: 256, radius: 2) == [UInt64(2)])
    }

    @Test("a sample's own views never pair with each other, and empty input gives nothing")
    func noSelfPairs() {
        var views: [(owner: Int, code: [UInt64])] = []
        #expect(searchPairs(views, bits: 64, radius: 10).isEmpty)
        views += [(5, [0]), (5, [1])]
        #expect(searchPairs(views, bits: 64, radius: 10).isEmpty)
        views.append((9, [3]))
        #expect(searchPairs(views, bits: 64, radius: 1) == [UInt64(5) << 32 | 9])
    }
}
