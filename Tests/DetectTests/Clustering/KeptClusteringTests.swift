import Detect
import Testing

@Suite struct KeptClusteringTests {
    /// A chain of PDQ codes 8 bits apart (each links to the three on either side at distance 31, so the guard cuts
    /// it into several clusters), byte-identical pairs, a group of copies and unrelated images.
    static func dataset() -> [ImageFeatures?] {
        var random = TestRandom(23)
        var all: [ImageFeatures?] = []
        var code = (0..<4).map { _ in random.next() }
        for step in 0..<20 {
            if step > 0 { for bit in (8 * (step - 1))..<(8 * step) { code[bit / 64] ^= 1 << UInt64(bit % 64) } }
            all.append(features(id: UInt64(step), phash: random.next(), pdq: code))
        }
        let base = (0..<4).map { _ in random.next() }
        for i in 0..<8 { all.append(features(id: 100 + UInt64(i), phash: random.next(), pdq: random.flip(base, bits: 6))) }
        all.append(all[3])  // byte-identical to a chain member
        all.append(all[21])  // byte-identical to a copy
        all.append(nil)
        for i in 0..<10 { all.append(features(id: 200 + UInt64(i), phash: random.next(), pdq: (0..<4).map { _ in random.next() })) }
        return all
    }

    /// Samples grouped by cluster, as sets of ordinals (ids differ between a whole clustering and a subset's).
    static func partition(_ clustering: Clustering, ordinals: [Int]) -> Set<Set<Int>> {
        Set(clustering.clusters.map { Set($0.members.map { ordinals[$0] }) })
    }

    @Test("kept(_:) clusters a subset exactly as clustering only those samples does", arguments: [0.5, 0.7, 0.9])
    func keptMatchesFreshClustering(share: Double) throws {
        var thresholds = DetectThresholds()
        thresholds.phashMaxDistance = nil
        let clusterer = NearDuplicateClusterer(thresholds: thresholds)
        let all = Self.dataset()
        let whole = try clusterer.cluster(features: all)
        #expect(whole.clusters.count >= 4)  // the chain was cut: the subsets below can join what it split
        var random = TestRandom(UInt64(share * 100))
        let alive = all.indices.map { _ in Double(random.next() % 1000) / 1000 < share }
        let survivors = all.indices.filter { alive[$0] }
        let fresh = try clusterer.cluster(features: survivors.map { all[$0] })
        let kept = whole.kept(alive)
        #expect(Self.partition(kept, ordinals: Array(all.indices)) == Self.partition(fresh, ordinals: survivors))
        #expect(all.indices.allSatisfy { alive[$0] || kept.clusterOf[$0] == nil })
    }

    @Test("keeping one sample of each cluster can leave two that match directly; kept(_:) finds them")
    func representativesCanStillMatch() throws {
        var thresholds = DetectThresholds()
        thresholds.phashMaxDistance = nil
        let whole = try NearDuplicateClusterer(thresholds: thresholds).cluster(features: Self.dataset())
        var alive = whole.clusterOf.map { $0 == nil }
        // The first member of each cluster, but of the chain's first cluster its last link: the step before the
        // next cluster's first member, 8 bits from it.
        for cluster in whole.clusters { alive[cluster.members[0]] = true }
        let first = try #require(whole.clusterOf[0])
        alive[0] = false
        alive[try #require(whole.clusters[first].members.filter { $0 < 20 }.last)] = true
        #expect(!whole.kept(alive).clusters.isEmpty)
    }
}
