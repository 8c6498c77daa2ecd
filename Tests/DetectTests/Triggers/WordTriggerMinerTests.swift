import Detect
import Testing

/// A tiny hand-computed example: clusters {0,1,2,3} (id 0) and {4,5} (id 1), samples 6…9 alone.
/// "tower" is in samples 0, 1, 2, 4, 5, 6.
struct TinyDataset {
    static let captions = [
        "eiffel tower at dusk", "the eiffel tower", "tower lights", "meadow", "water tower", "tower on hill",
        "tower clock", "river", "forest", "desert",
    ]
    static let clusterOf: [Int?] = [0, 0, 0, 0, 1, 1, nil, nil, nil, nil]
    static let index = TermIndex.build(captions: captions)

    static func stats(
        weights: [Double]? = nil, alive: [Bool]? = nil, term: String = "tower"
    ) throws -> TermStatistics {
        let all = WordTriggerMiner(minSupport: 1).statistics(
            termIndex: index, clusterOf: clusterOf, weights: weights, alive: alive)
        return try #require(all.first { $0.term == term })
    }
}

@Suite struct WordTriggerMinerTests {
    @Test("statistics match the hand-computed values")
    func handComputed() throws {
        let s = try TinyDataset.stats().statistics
        #expect(s.support == 6)
        #expect(s.dupFraction == 5.0 / 6.0)
        #expect(s.topCluster == 0)
        #expect(s.nTop == 3)
        #expect(s.topShare == 0.5)
        #expect(s.consistency == 0.75)
        // (3·2 + 2·1) / (6·5)
        #expect(abs(s.collision - 8.0 / 30.0) < 1e-15)
        // Only cluster 0 (size 4) can hold 3: P(X ≥ 3), X ~ Hypergeom(10, 4, 6); scipy hypergeom.sf(2, 10, 4, 6).
        #expect(abs(s.pValue - 0.45238095238095244) < 1e-12)
    }

    @Test("a term on singletons only has no top cluster and collision 0")
    func singletons() throws {
        let s = try TinyDataset.stats(term: "river").statistics
        #expect(s.support == 1)
        #expect(s.topCluster == nil)
        #expect(s.nTop == 1)
        #expect(s.collision == 0)
        #expect(s.dupFraction == 0)
        #expect(s.pValue == 1)
    }

    @Test("weights turn counts into weighted sums on the same code path")
    func weighted() throws {
        var weights = [Double](repeating: 1, count: 10)
        weights[0] = 0.5
        weights[1] = 0.5
        let s = try TinyDataset.stats(weights: weights).statistics
        #expect(s.support == 5)
        #expect(s.nTop == 2)
        #expect(s.topCluster == 0)  // tie with cluster 1 (2.0 each): the smaller id
        #expect(s.topShare == 0.4)
        #expect(abs(s.consistency - 2.0 / 3.0) < 1e-15)  // cluster 0 weighs 0.5 + 0.5 + 1 + 1
        // Σ (n_c² − Σ w²) / (S² − Σ w²) = ((4 − 1.5) + (4 − 2)) / (25 − 4.5)
        #expect(abs(s.collision - 4.5 / 20.5) < 1e-15)
        #expect(abs(s.dupFraction - 4.0 / 5.0) < 1e-15)
    }

    @Test("removed samples leave the counts, and a cluster left with one live member is a singleton")
    func aliveMask() throws {
        var alive = [Bool](repeating: true, count: 10)
        alive[0] = false
        alive[1] = false
        let s = try TinyDataset.stats(alive: alive).statistics
        #expect(s.support == 4)
        #expect(s.topCluster == 1)
        #expect(s.nTop == 2)
        #expect(s.consistency == 1)
        #expect(abs(s.collision - 2.0 / 12.0) < 1e-15)
        #expect(s.dupFraction == 0.75)  // cluster 0 still has samples 2 and 3

        alive[2] = false
        let after = try TinyDataset.stats(alive: alive).statistics
        #expect(after.support == 3)
        #expect(after.dupFraction == 2.0 / 3.0)
    }

    @Test("a term on many copies of one image among many distinct images is a trigger, a spread term is not")
    func triggerDecision() throws {
        var captions: [String] = []
        var clusterOf: [Int?] = []
        for i in 0..<30 {
            captions.append("mona lisa painting copy \(i)")
            clusterOf.append(0)
        }
        for i in 0..<300 {
            captions.append(i % 10 == 0 ? "painting of a field \(i)" : "landscape photo \(i)")
            clusterOf.append(nil)
        }
        let index = TermIndex.build(captions: captions, minSupport: 10)
        let stats = WordTriggerMiner(minSupport: 10).statistics(termIndex: index, clusterOf: clusterOf)
        let triggers = Set(WordTriggerMiner.triggers(stats, thresholds: WordTriggerThresholds()).map(\.term))
        #expect(triggers.contains("mona lisa"))
        #expect(triggers.contains("mona"))
        // Half of "painting"'s 60 samples are copies of the one image: a trigger by the definition.
        let painting = try #require(stats.first { $0.term == "painting" })
        #expect(painting.statistics.topShare == 0.5)
        #expect(painting.statistics.nTop == 30)
        #expect(triggers.contains("painting"))
        #expect(!triggers.contains("field"))
        #expect(!triggers.contains("landscape"))
        #expect(!triggers.contains("photo"))
    }
}

@Suite struct StatisticsHelperTests {
    @Test("Benjamini–Hochberg matches a hand-computed example (and scipy's false_discovery_control)")
    func benjaminiHochberg() {
        let q = BenjaminiHochberg.qValues([0.01, 0.04, 0.03, 0.005, 0.5, 0.04])
        let expected = [0.03, 0.048, 0.048, 0.03, 0.5, 0.048]
        for (a, b) in zip(q, expected) { #expect(abs(a - b) < 1e-15) }
        #expect(BenjaminiHochberg.qValues([]) == [])
        #expect(BenjaminiHochberg.qValues([0.9, 0.95]) == [0.95, 0.95])
    }

    @Test(
        "the hypergeometric upper tail equals scipy's hypergeom.sf(k − 1, N, K, n)",
        arguments: [
            (8, 100, 20, 15, 0.0017974402119862653),
            (3, 50, 10, 5, 0.0482603031962091),
            (40, 1_000_000, 30000, 80, 3.891813738269624e-39),
            (1, 10, 3, 4, 0.8333333333333334),
            (5, 1000, 100, 50, 0.5730845672762301),
            (60, 100000, 3000, 70, 7.0463860927385395e-81),
            (2, 20, 5, 5, 0.36609907120743035),
            (12, 5000, 12, 40, 1.1107115323105524e-26),
        ])
    func hypergeometric(k: Int, population: Int, successes: Int, draws: Int, scipy: Double) {
        let p = Hypergeometric.upperTail(k, population: population, successes: successes, draws: draws)
        #expect(abs(p - scipy) <= 1e-9 * scipy, "\(p) vs \(scipy)")
        // The union bound passes log C(N, n) in, computed once for all cluster sizes: the same bits.
        let given = Hypergeometric.upperTail(
            k, population: population, successes: successes, draws: draws,
            logDrawings: Hypergeometric.logChoose(population, draws))
        #expect(given == p)
    }

    @Test(
        "log C(n, k) by products of ratios matches the exact binomial (Python's math.log(math.comb(n, k)))",
        arguments: [
            (1_000_000, 2000, 14422.49643174764), (1_000_000, 1999, 14416.283824649887), (5000, 40, 230.21067551176284),
            (100_000, 1500, 7783.682893633545), (10_000_000, 2000, 19029.467038078164), (1_000_000, 3, 39.654769204662266),
        ])
    func logChoose(n: Int, k: Int, exact: Double) {
        let value = Hypergeometric.logChoose(n, k)
        #expect(abs(value - exact) <= 1e-12 * exact, "\(value) vs \(exact)")
        // Symmetric in k and n - k.
        #expect(Hypergeometric.logChoose(n, n - k) == value)
    }

    @Test("tails outside the support are 0 and 1")
    func tailBounds() {
        #expect(Hypergeometric.upperTail(0, population: 10, successes: 3, draws: 4) == 1)
        #expect(Hypergeometric.upperTail(4, population: 10, successes: 3, draws: 4) == 0)
    }
}

@Suite struct PlannedOutputTests {
    /// 30 copies of one image captioned "mona lisa", among 300 distinct images.
    static func dataset() -> (TermIndex, [Int?]) {
        var captions: [String] = []
        var clusterOf: [Int?] = []
        for i in 0..<30 {
            captions.append("mona lisa print \(i)")
            clusterOf.append(0)
        }
        for i in 0..<300 {
            captions.append(i % 20 == 0 ? "mona lisa parody \(i)" : "landscape \(i)")
            clusterOf.append(nil)
        }
        return (TermIndex.build(captions: captions, minSupport: 5), clusterOf)
    }

    @Test("the same statistics measure the planned output: downsampling, reweighting and decoupling end the trigger")
    func plannedOutput() throws {
        let (index, clusterOf) = Self.dataset()
        let miner = WordTriggerMiner(minSupport: 5)
        let thresholds = WordTriggerThresholds()
        func isTrigger(_ stats: [TermStatistics]) -> Bool {
            stats.first { $0.term == "mona lisa" }?.isTrigger(thresholds) ?? false
        }
        #expect(isTrigger(miner.statistics(termIndex: index, clusterOf: clusterOf)))

        // downsample: keep 5 of the 30 copies.
        var alive = [Bool](repeating: true, count: index.sampleCount)
        for i in 5..<30 { alive[i] = false }
        let down = miner.statistics(termIndex: index, clusterOf: clusterOf, alive: alive)
        let downLisa = try #require(down.first { $0.term == "mona lisa" })
        #expect(downLisa.statistics.nTop == 5)
        #expect(downLisa.statistics.support == 20)
        #expect(!isTrigger(down))

        // reweight: copies weigh 1/6 each, so the cluster counts 5.
        var weights = [Double](repeating: 1, count: index.sampleCount)
        for i in 0..<30 { weights[i] = 1.0 / 6.0 }
        let reweighted = miner.statistics(termIndex: index, clusterOf: clusterOf, weights: weights)
        let lisa = try #require(reweighted.first { $0.term == "mona lisa" })
        #expect(lisa.statistics.nTop == 5)
        #expect(!isTrigger(reweighted))

        // Weights that do not add up exactly in floating point (30 × 1/7 is 4.285714285714286 minus an ulp) still
        // count as the bound they were cut to.
        for i in 0..<30 { weights[i] = 1.0 / 7.0 }
        let sevenths = try #require(
            miner.statistics(termIndex: index, clusterOf: clusterOf, weights: weights).first { $0.term == "mona lisa" })
        #expect((0..<30).reduce(0.0) { sum, _ in sum + 1.0 / 7.0 } != 30.0 / 7.0)
        #expect(sevenths.statistics.nTop == (30.0 / 7.0 * 1e9).rounded() / 1e9)

        // decouple: rewrite the term out of 25 copies' captions.
        var rewrites: [Int: String] = [:]
        for i in 5..<30 { rewrites[i] = "print \(i)" }
        let decoupled = miner.statistics(termIndex: index.replacingCaptions(rewrites), clusterOf: clusterOf)
        #expect(decoupled.first { $0.term == "mona lisa" }?.statistics.nTop == 5)
        #expect(!isTrigger(decoupled))
    }

    @Test("the union-bound p-value is never below a seeded Monte Carlo permutation estimate")
    func unionBoundIsConservative() throws {
        // 60 samples: clusters of sizes 8, 6, 4, 3; a term on 10 samples with 4 in the size-8 cluster.
        var clusterOf: [Int?] = Array(repeating: nil, count: 60)
        var next = 0
        for (id, size) in [8, 6, 4, 3].enumerated() {
            for _ in 0..<size {
                clusterOf[next] = id
                next += 1
            }
        }
        var captions = Array(repeating: "other", count: 60)
        for i in [0, 1, 2, 3, 8, 14, 20, 30, 40, 50] { captions[i] = "term" }
        let index = TermIndex.build(captions: captions)
        let stats = WordTriggerMiner(minSupport: 1).statistics(termIndex: index, clusterOf: clusterOf)
        let p = try #require(stats.first { $0.term == "term" }).statistics.pValue

        // Permutation null: place the 10 samples at random, count how often some cluster holds ≥ 4.
        var state: UInt64 = 12345
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let draws = 20000
        var hits = 0
        var ordinals = Array(0..<60)
        for _ in 0..<draws {
            for i in 0..<10 { ordinals.swapAt(i, i + random(60 - i)) }
            var counts = [0, 0, 0, 0]
            for i in 0..<10 { if let c = clusterOf[ordinals[i]] { counts[c] += 1 } }
            if counts.max()! >= 4 { hits += 1 }
        }
        let monteCarlo = Double(hits + 1) / Double(draws + 1)
        #expect(p >= monteCarlo * 0.9)
        #expect(p <= monteCarlo * 3)  // and not uselessly loose here
    }
}
