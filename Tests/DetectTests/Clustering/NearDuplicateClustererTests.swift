import CurateTestSupport
import Detect
import Foundation
import Testing

/// Features with the given hashes in every view (mirrored = as decoded), content hash from `id`.
func features(id: UInt64, phash: UInt64, dhash: UInt64 = 0, pdq: [UInt64], quality: Int = 100) -> ImageFeatures {
    let hashes = PerceptualHashes(phash: phash, dhash: dhash, pdq: PDQHash(pdq[0], pdq[1], pdq[2], pdq[3]), pdqQuality: quality)
    return ImageFeatures(
        contentHash: ContentHash(high: id, low: ~id), byteCount: 1000, format: .jpeg, width: 64, height: 64,
        hashes: hashes, mirrored: hashes, trimmed: nil)
}

@Suite struct NearDuplicateClustererTests {
    /// Only PDQ evidence, so tests control exactly which pairs link.
    static var pdqOnly: DetectThresholds {
        var t = DetectThresholds()
        t.phashMaxDistance = nil
        t.embeddingMinCosine = nil
        t.pdqMaxDistance = 31
        return t
    }

    @Test("a chain of codes 8 bits apart does not become one cluster; 50 noisy copies stay whole")
    func noChaining() throws {
        var random = TestRandom(7)
        var all: [ImageFeatures?] = []
        var codes: [[UInt64]] = []
        // Chain A…Z: each code flips the next 8 bits, so A and Z are 200 bits apart.
        var code = (0..<4).map { _ in random.next() }
        for step in 0..<26 {
            if step > 0 {
                for bit in (8 * (step - 1))..<(8 * step) { code[bit / 64] ^= 1 << UInt64(bit % 64) }
            }
            codes.append(code)
        }
        // 50 noisy copies of one image: 10-18 bits each from the original, so some copy pairs exceed 31.
        let base = (0..<4).map { _ in random.next() }
        for _ in 0..<50 { codes.append(random.flip(base, bits: Int.random(in: 10...18, using: &random))) }
        // Unrelated images.
        for _ in 0..<100 { codes.append((0..<4).map { _ in random.next() }) }
        for (i, c) in codes.enumerated() { all.append(features(id: UInt64(i), phash: random.next(), pdq: c)) }
        #expect(zip(codes[0], codes[25]).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount } == 200)

        let (clustering, report) = try NearDuplicateClusterer(thresholds: Self.pdqOnly).clusterWithReport(features: all)
        let chainClusters = Set((0..<26).compactMap { clustering.clusterOf[$0] })
        #expect(chainClusters.count >= 3)
        #expect(clustering.clusterOf[0] == nil || clustering.clusterOf[0] != clustering.clusterOf[25])
        func distance(_ a: Int, _ b: Int) -> Int { zip(codes[a], codes[b]).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount } }
        for cluster in clustering.clusters {
            // Diameter guard: no two members further apart than twice the threshold.
            for a in cluster.members { for b in cluster.members { #expect(distance(a, b) <= 62) } }
        }
        // The copies do not form a complete graph: some pairs are further apart than the threshold.
        let farPairs = (26..<76).flatMap { a in ((a + 1)..<76).filter { distance(a, $0) > 31 } }.count
        #expect(farPairs > 0)
        let copies = Set((26..<76).map { clustering.clusterOf[$0] })
        #expect(copies.count == 1 && copies.first! != nil)
        #expect(clustering.clusters[copies.first!!].members == Array(26..<76))
        #expect((76..<176).allSatisfy { clustering.clusterOf[$0] == nil })
        #expect(report.splitComponents == 1)
    }

    @Test("exact copies, hash and embedding evidence, undecodable images and representatives")
    func evidenceAndRepresentatives() throws {
        var random = TestRandom(11)
        let x = (0..<4).map { _ in random.next() }
        let ph = random.next()
        let samples: [ImageFeatures?] = [
            features(id: 1, phash: ph, pdq: x),  // 0
            nil,  // 1: undecodable
            features(id: 1, phash: ph, pdq: x),  // 2: byte-identical to 0
            features(id: 2, phash: ph ^ 0xF, pdq: random.flip(x, bits: 10)),  // 3: near copy of 0
            features(id: 3, phash: random.next(), pdq: (0..<4).map { _ in random.next() }),  // 4
            nil,  // 5: undecodable, but its embedding matches 4
            features(id: 4, phash: random.next(), pdq: (0..<4).map { _ in random.next() }),  // 6
        ]
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("emb.npy")
        try writeNPY([[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0.1, 0], [0.5, 0.5, 0.5, 0.5], [0, 0, 1, 0], [0, 0, 0.99, 0.05], [0, 0, 0, 0]], to: url)
        let embeddings = try EmbeddingMatrix(contentsOf: url)

        let (clustering, report) = try NearDuplicateClusterer().clusterWithReport(features: samples, embeddings: embeddings)
        #expect(clustering.clusters.count == 2)
        #expect(clustering.clusters[0] == Cluster(id: 0, members: [0, 2, 3], representative: 0, evidence: [.exact, .phash, .pdq, .embedding]))
        #expect(clustering.clusters[1] == Cluster(id: 1, members: [4, 5], representative: 4, evidence: [.embedding]))
        #expect(clustering.clusterOf == [0, nil, 0, 0, 1, 1, nil])
        #expect(report.invalidEmbeddingRows == [InvalidEmbeddingRow(row: 6, reason: .zero)])
        #expect(report.exactDuplicateSamples == 2)
    }

    @Test("the representative is the member with the most links in its cluster")
    func representativeHasMostLinks() throws {
        var random = TestRandom(3)
        let hub = (0..<4).map { _ in random.next() }
        // 1 is the hub; 0, 2 and 3 are 20 bits from it on disjoint bits, so 40 bits from each other.
        var codes: [[UInt64]] = []
        for spoke in 0..<3 {
            var c = hub
            for bit in (spoke * 20)..<(spoke * 20 + 20) { c[bit / 64] ^= 1 << UInt64(bit % 64) }
            codes.append(c)
        }
        codes.insert(hub, at: 1)
        let all = codes.enumerated().map { features(id: UInt64($0.offset), phash: random.next(), pdq: $0.element) }
        let clustering = try NearDuplicateClusterer(thresholds: Self.pdqOnly).cluster(features: all)
        #expect(clustering.clusters == [Cluster(id: 0, members: [0, 1, 2, 3], representative: 1, evidence: [.pdq])])
    }

    @Test("copies a bridging centre took through a few links go back to the star of their own photo")
    func bridgedCopiesMoveHome() throws {
        var random = TestRandom(11)
        func flipped(_ code: [UInt64], _ bits: [Int]) -> [UInt64] {
            var c = code
            for bit in bits { c[bit / 64] ^= 1 << UInt64(bit % 64) }
            return c
        }
        // Photos a and b differ in bits 0..<60. The bridge x is a moved 28 bits towards b: 28 from a, 32 from b.
        let a = (0..<4).map { _ in random.next() }
        let b = flipped(a, Array(0..<60))
        let x = flipped(a, Array(0..<28))
        var codes = [x]
        for i in 0..<12 { codes.append(flipped(a, [100 + i])) }  // 1...12: copies of a, 29 bits from x
        for i in 0..<5 { codes.append(flipped(b, [28 + i, 40 + i])) }  // 13...17: copies of b, 30 bits from x
        for i in 0..<7 { codes.append(flipped(b, [120 + i])) }  // 18...24: copies of b, 33 bits from x
        let all = codes.enumerated().map { features(id: UInt64($0.offset), phash: random.next(), pdq: $0.element) }
        // x links to 17 samples, more than any copy, so it is the first centre and takes copies 13...17 of b; they
        // link to x alone there but to all 7 of b's other copies.
        let clustering = try NearDuplicateClusterer(thresholds: Self.pdqOnly).cluster(features: all)
        #expect(clustering.clusters.map(\.members) == [Array(0...12), Array(13...24)])
    }

    @Test("PDQ below quality 50 is no evidence, pHash still is down to quality 20, below it only where PDQ agrees")
    func lowQualityViews() throws {
        let flat: [UInt64] = [0, 0, 0, 0]
        let all = [features(id: 1, phash: 1, pdq: flat, quality: 0), features(id: 2, phash: 0xFFFF << 20, pdq: flat, quality: 0)]
        #expect(try NearDuplicateClusterer(thresholds: Self.pdqOnly).cluster(features: all).clusters.isEmpty)
        var pairs = DetectThresholds()
        pairs.embeddingMinCosine = nil
        // PDQ hashes 40 bits apart: beyond PDQ's threshold.
        let far: [UInt64] = [(1 << 40) - 1, 0, 0, 0]
        func linked(quality: Int, otherPDQ: [UInt64] = far) -> [ImageFeatures?] {
            [features(id: 1, phash: 1, pdq: flat, quality: quality), features(id: 2, phash: 3, pdq: otherPDQ, quality: quality)]
        }
        let clusterer = NearDuplicateClusterer(thresholds: pairs)
        #expect(try clusterer.cluster(features: linked(quality: 20)).clusters.first?.evidence == [.phash])
        // A flat view's pHash only tells the direction of its gradient: unrelated flat images would match. Their PDQ
        // hashes, from the same faint gradients, differ.
        #expect(try clusterer.cluster(features: linked(quality: 19)).clusters.isEmpty)
        // A faint copy's PDQ hash agrees with its original's: pHash and PDQ together are evidence.
        #expect(try clusterer.cluster(features: linked(quality: 1, otherPDQ: flat)).clusters.first?.evidence == [.phash])
        // Blank views (quality 0) are never evidence, even with equal hashes (a black and a white frame).
        #expect(try clusterer.cluster(features: linked(quality: 0, otherPDQ: flat)).clusters.isEmpty)
    }

    @Test("an embedding count that differs from the sample count is a typed error naming both")
    func countMismatch() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("emb.npy")
        try writeNPY([[1, 0], [0, 1]], to: url)
        let embeddings = try EmbeddingMatrix(contentsOf: url)
        #expect(throws: EmbeddingError(.countMismatch(samples: 3, embeddings: 2), path: url.path)) {
            try NearDuplicateClusterer().cluster(features: [nil, nil, nil], embeddings: embeddings)
        }
    }

    @Test("identical output on every run, with every kind of evidence on")
    func deterministic() throws {
        var random = TestRandom(99)
        var all: [ImageFeatures?] = []
        var bases: [(UInt64, UInt64, [UInt64])] = []
        for i in 0..<3000 {
            if !bases.isEmpty && Int.random(in: 0..<3, using: &random) == 0 {
                let (p, d, q) = bases[Int.random(in: 0..<bases.count, using: &random)]
                all.append(features(id: UInt64(i), phash: p ^ (1 << UInt64(i % 64)), dhash: d ^ 3, pdq: random.flip(q, bits: 12)))
            } else if i % 97 == 0 {
                all.append(nil)
            } else {
                let b = (random.next(), random.next(), (0..<4).map { _ in random.next() })
                bases.append(b)
                all.append(features(id: UInt64(i), phash: b.0, dhash: b.1, pdq: b.2))
            }
        }
        var thresholds = DetectThresholds()
        thresholds.dhashMaxDistance = 6
        let clusterer = NearDuplicateClusterer(thresholds: thresholds)
        let first = try clusterer.cluster(features: all)
        let second = try clusterer.cluster(features: all)
        #expect(first == second)
        #expect(first.clusters.count > 200)
        #expect(first.clusters.map(\.id) == Array(first.clusters.indices))
        #expect(first.clusters.allSatisfy { $0.members == $0.members.sorted() && $0.members.contains($0.representative) })
        #expect(zip(first.clusters, first.clusters.dropFirst()).allSatisfy { $0.members[0] < $1.members[0] })
    }
}

@Suite struct SharedImageClusteringTests {
    @Test("a file shared by 600 rows enters the hash search once and still clusters every row with its near-copy")
    func sharedFileSearchedOnce() throws {
        var random = TestRandom(11)
        let pdq = (0..<4).map { _ in random.next() }
        let shared = features(id: 1, phash: 0x0F0F_F0F0_1234_5678, pdq: pdq)
        let nearCopy = features(id: 2, phash: 0x0F0F_F0F0_1234_5679, pdq: random.flip(pdq, bits: 6))
        var all: [ImageFeatures?] = Array(repeating: shared, count: 600)
        all.append(nearCopy)
        for id in 3..<40 {
            all.append(features(id: UInt64(id), phash: random.next(), pdq: (0..<4).map { _ in random.next() }))
        }
        let (clustering, report) = try NearDuplicateClusterer().clusterWithReport(features: all)
        #expect(clustering.clusters.count == 1)
        let cluster = try #require(clustering.clusters.first)
        #expect(cluster.members == Array(0...600))
        #expect(cluster.evidence.isSuperset(of: [.exact, .phash, .pdq]))
        #expect(report.exactDuplicateSamples == 600)
        // One link per kind (the shared file's first row to the near-copy), not one per row and row pair.
        #expect(report.linksByEvidence[.phash] == 1)
        #expect(report.linksByEvidence[.pdq] == 1)
    }

    @Test("without exact evidence, rows sharing a file are still linked by their equal hashes")
    func sharedFileWithoutExactEvidence() throws {
        let shared = features(id: 1, phash: 0xABCD, pdq: [1, 2, 3, 4])
        let other = features(id: 2, phash: ~0xABCD, pdq: [~1, ~2, ~3, ~4])
        var thresholds = DetectThresholds()
        thresholds.exact = false
        let clustering = try NearDuplicateClusterer(thresholds: thresholds).cluster(features: [shared, shared, other, shared])
        #expect(clustering.clusters.map(\.members) == [[0, 1, 3]])
    }
}
