import Detect
import Testing

/// Weak pHash links (one pair of views at the edge of the threshold) may join a cluster but not choose its centre.
@Suite struct WeakLinkClusteringTests {
    static var pHashOnly: DetectThresholds {
        var t = DetectThresholds()
        t.pdqMaxDistance = nil
        t.embeddingMinCosine = nil
        return t
    }

    /// `code` with the bits in `bits` flipped.
    static func flip(_ code: UInt64, _ bits: Range<Int>) -> UInt64 { bits.reduce(code) { $0 ^ (1 << UInt64($1)) } }

    /// Photo A: a hub (0) and six copies; photo B: seven copies. The hub also carries a crop view 6 bits from every
    /// copy of B (the only view pair that meets), the way a night-sky photo's dark corner meets another's.
    /// Then a crop copy of A that meets the hub and one copy, weakly, and an unrelated image that meets one copy of A.
    static func samples() -> [ImageFeatures?] {
        var random = TestRandom(29)
        let a = random.next(), b = random.next()
        func image(_ id: UInt64, _ phash: UInt64, crops: [UInt64] = []) -> ImageFeatures {
            var f = features(id: id, phash: phash, pdq: [random.next(), random.next(), random.next(), random.next()])
            f.cropPHashes = crops
            return f
        }
        var samples: [ImageFeatures?] = [image(0, a, crops: [flip(b, 20..<25)])]
        for i in 0..<6 { samples.append(image(1 + UInt64(i), flip(a, 2 * i..<2 * i + 2))) }  // 1-6: copies of A
        for i in 0..<7 { samples.append(image(10 + UInt64(i), flip(b, i..<i + 1))) }  // 7-13: copies of B
        samples.append(image(20, random.next(), crops: [flip(flip(a, 0..<1), 30..<35)]))  // 14: 6 bits from the hub and copy 1
        samples.append(image(21, random.next(), crops: [flip(flip(a, 6..<8), 40..<45)]))  // 15: 5 bits from copy 4 only
        return samples
    }

    @Test("a hub weakly linked to another photo's copies does not become their centre")
    func hubDoesNotTakeAnotherPhoto() throws {
        let samples = Self.samples()
        let clustering = try NearDuplicateClusterer(thresholds: Self.pHashOnly).cluster(features: samples)
        let aCluster = try #require(clustering.clusterOf[0])
        #expect((1...6).allSatisfy { clustering.clusterOf[$0] == aCluster })
        let bCluster = try #require(clustering.clusterOf[7])
        #expect(bCluster != aCluster)
        #expect((7...13).allSatisfy { clustering.clusterOf[$0] == bCluster })
        // The crop that meets two of A's samples, weakly, still joins; a lone weak link to a member does not.
        #expect(clustering.clusterOf[14] == aCluster)
        #expect(clustering.clusterOf[15] == nil)

        // Counted as strong, the hub's weak links make it the centre of both photos' copies.
        var plain = NearDuplicateClusterer(thresholds: Self.pHashOnly)
        plain.weighsPHashLinks = false
        let merged = try plain.cluster(features: samples)
        #expect(merged.clusterOf[7] == merged.clusterOf[0])
    }

    @Test("weak links are the lone view pairs at the edge of the threshold")
    func weakLinksAreMarked() throws {
        let samples = Self.samples()
        let (links, _) = try NearDuplicateClusterer(thresholds: Self.pHashOnly).links(features: samples)
        var weak: [(Int, Int)] = []
        for i in 0..<links.count where links.isWeak(i) { weak.append((links.pair(i).a, links.pair(i).b)) }
        let expected = (7...13).map { (0, $0) } + [(0, 14), (1, 14), (4, 15)]
        #expect(weak.map { "\($0.0)-\($0.1)" } == expected.map { "\($0.0)-\($0.1)" })
        // Evidence names only what found the link.
        #expect(links.pair(0).evidence == [.phash])
    }
}
