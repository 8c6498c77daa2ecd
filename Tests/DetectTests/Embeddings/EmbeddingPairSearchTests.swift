import CurateTestSupport
@testable import Detect
import Foundation
import Testing

/// Writes `rows` as a version 1.0 `.npy` file of float32 or float16, as numpy does.
func writeNPY(_ rows: [[Float]], to url: URL, half: Bool = false) throws {
    let dims = rows.first?.count ?? 0
    var header = "{'descr': '\(half ? "<f2" : "<f4")', 'fortran_order': False, 'shape': (\(rows.count), \(dims)), }"
    header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
    bytes += Array(header.utf8)
    var data = Data(bytes)
    // Little-endian machine (x86_64, arm64): the in-memory layout is the .npy layout.
    if half {
        let values = rows.flatMap { $0.map { Float16($0) } }
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    } else {
        let values = rows.flatMap { $0 }
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    }
    try data.write(to: url)
}

/// Clustered synthetic embeddings (topics + noise) with planted near-duplicate groups around a cosine threshold.
func syntheticEmbeddings(count: Int, dims: Int, seed: UInt64) -> [[Float]] {
    var random = TestRandom(seed)
    func gaussian() -> Float {
        let u = max(Float.random(in: 0..<1, using: &random), 1e-7)
        let v = Float.random(in: 0..<1, using: &random)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
    let topics = (0..<64).map { _ in (0..<dims).map { _ in gaussian() } }
    var rows: [[Float]] = []
    while rows.count < count {
        let topic = topics[Int.random(in: 0..<topics.count, using: &random)]
        let base = topic.map { $0 + 1.2 * gaussian() }
        rows.append(base)
        // 0–4 copies with noise scaled so cosines spread over roughly 0.85…0.99.
        for _ in 0..<Int.random(in: 0...4, using: &random) where rows.count < count {
            let noise = Float.random(in: 0.08...0.45, using: &random)
            rows.append(base.map { $0 + noise * gaussian() })
        }
    }
    // Shuffle so copies are not adjacent rows.
    rows.shuffle(using: &random)
    return rows
}

@Suite struct EmbeddingPairSearchTests {
    @Test("IVF search finds at least 99% of brute-force pairs at 20k rows, deterministically")
    func recallAt20k() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("emb.npy")
        try writeNPY(syntheticEmbeddings(count: 20_000, dims: 96, seed: 42), to: url, half: true)
        let matrix = try EmbeddingMatrix(contentsOf: url)
        #expect(matrix.rowCount == 20_000 && matrix.invalidRows.isEmpty)

        var exact = EmbeddingPairSearch.Options()
        exact.bruteForceBelow = Int.max
        let truth = EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.92, options: exact).pairs
        let (found, report) = EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.92)
        let hits = Set(truth).intersection(found).count
        let recall = Double(hits) / Double(truth.count)
        print("embedding search: \(truth.count) true pairs, recall \(recall), \(report)")
        #expect(truth.count > 5_000)
        #expect(report.lists > 100 && report.probes >= 1)
        #expect(recall >= 0.99)
        // Every reported pair is a true pair (up to float rounding of summation order at the threshold).
        #expect(found.count - hits <= truth.count / 1000)
        #expect(found == found.sorted())
        #expect(EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.92).pairs == found)
    }

    @Test("with lists of a fixed size (N above listSize²), the search keeps its recall and makes N / listSize lists")
    func fixedSizeLists() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("emb.npy")
        try writeNPY(syntheticEmbeddings(count: 12_000, dims: 64, seed: 7), to: url, half: true)
        let matrix = try EmbeddingMatrix(contentsOf: url)
        var exact = EmbeddingPairSearch.Options()
        exact.bruteForceBelow = Int.max
        let truth = Set(EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.92, options: exact).pairs)
        var options = EmbeddingPairSearch.Options()
        options.listSize = 40
        let (found, report) = EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.92, options: options)
        #expect(report.lists > 250 && report.lists < 320)  // 12,000 / 40, each group's share rounded
        let recall = Double(found.filter { truth.contains($0) }.count) / Double(truth.count)
        #expect(truth.count > 2_000)
        #expect(recall >= 0.99)
        #expect(EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.92, options: options).pairs == found)
    }

    @Test("searching every group finds the same nearest lists as comparing a row with every list")
    func quantizerMatchesFlatSearch() throws {
        let d = 32
        let rows = syntheticEmbeddings(count: 3_000, dims: d, seed: 11).map { row -> [Float] in
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return row.map { $0 / norm }
        }
        let flat = rows.flatMap { $0 }
        let quantizer = CoarseQuantizer(training: flat, rows: rows.count, dimension: d, listCount: 100, iterations: 4, groupProbes: 1_000)
        #expect(quantizer.groupCount == 10 && quantizer.listCount >= 90)
        let viaGroups = flat.withUnsafeBufferPointer { quantizer.nearestLists($0.baseAddress!, count: rows.count, keep: 5) }
        let direct = flat.withUnsafeBufferPointer {
            CoarseQuantizer.nearest($0.baseAddress!, rows: rows.count, centroids: quantizer.lists, k: quantizer.listCount, d: d, keep: 5)
        }
        #expect(viaGroups == direct)
        // With two groups of ten searched, every row still finds lists, best first among those it saw.
        let narrow = CoarseQuantizer(training: flat, rows: rows.count, dimension: d, listCount: 100, iterations: 4, groupProbes: 2)
        let some = flat.withUnsafeBufferPointer { narrow.nearestLists($0.baseAddress!, count: rows.count, keep: 5) }
        #expect((0..<rows.count).allSatisfy { some[$0 * 5] >= 0 })
        let agree = (0..<rows.count).filter { some[$0 * 5] == direct[$0 * 5] }.count
        #expect(agree > rows.count * 9 / 10)
    }

    @Test("invalid rows never pair, and brute force is exact on a small file")
    func skipsInvalidRows() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("small.npy")
        var rows: [[Float]] = [[1, 0, 0], [0.99, 0.1, 0], [0, 0, 0], [.nan, 1, 0], [0, 1, 0], [0, 0.98, 0.2], [1, 0, 0]]
        rows[2] = [0, 0, 0]
        try writeNPY(rows, to: url)
        let matrix = try EmbeddingMatrix(contentsOf: url)
        #expect(matrix.invalidRows.map(\.row) == [2, 3])
        let pairs = EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.95).pairs
        #expect(pairs == [UInt64(0) << 32 | 1, UInt64(0) << 32 | 6, UInt64(1) << 32 | 6, UInt64(4) << 32 | 5])
    }
}
