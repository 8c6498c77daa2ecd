import Detect
import Foundation
import Testing

/// The embedding search alone on a large `.npy` (the bench's `scale/nN/embeddings.npy`), for tuning its options.
///
/// Skipped unless `CURATE_EMBED_BENCH` names the file. Optional: `CURATE_EMBED_LIST_SIZE` (0: √N lists at any
/// size), `CURATE_EMBED_GROUP_PROBES`, `CURATE_EMBED_EXACT` (brute force: the truth for a recall check),
/// `CURATE_EMBED_PAIRS_OUT` (writes the pairs, little-endian UInt64 keys) and `CURATE_EMBED_TRUTH` (pairs written
/// by an exact or a reference run: prints the recall against them).
@Suite struct EmbeddingSearchScaleTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test("embedding search on a large file", .enabled(if: environment["CURATE_EMBED_BENCH"] != nil))
    func search() throws {
        let env = Self.environment
        let matrix = try EmbeddingMatrix(contentsOf: URL(fileURLWithPath: env["CURATE_EMBED_BENCH"]!))
        var options = EmbeddingPairSearch.Options()
        if let size = env["CURATE_EMBED_LIST_SIZE"].flatMap(Int.init) { options.listSize = size == 0 ? nil : size }
        if let probes = env["CURATE_EMBED_GROUP_PROBES"].flatMap(Int.init) { options.groupProbes = probes }
        if env["CURATE_EMBED_EXACT"] != nil { options.bruteForceBelow = Int.max }
        let cpu = ClusterBenchmarkTests.cpuSeconds()
        let start = Date()
        let (pairs, report) = EmbeddingPairSearch.pairs(in: matrix, minCosine: 0.92, options: options)
        let seconds = Date().timeIntervalSince(start)
        let cpuSeconds = ClusterBenchmarkTests.cpuSeconds() - cpu
        var line = "embedding search: \(matrix.rowCount) rows, \(pairs.count) pairs, \(String(format: "%.2f", seconds)) s wall, "
        line += "\(String(format: "%.2f", cpuSeconds)) CPU s, lists \(report.lists), probes \(report.probes), "
        line += "estimated recall \(report.estimatedRecall) on \(report.calibrationPairs) calibration pairs"
        if let truthPath = env["CURATE_EMBED_TRUTH"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: truthPath))
            let truth = data.withUnsafeBytes { Set($0.bindMemory(to: UInt64.self)) }
            let hits = pairs.filter { truth.contains($0) }.count
            line += ", recall against \(truthPath): \(Double(hits) / Double(max(1, truth.count))) (\(truth.count) pairs)"
        }
        print(line)
        if let out = env["CURATE_EMBED_PAIRS_OUT"] {
            try pairs.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
        }
        #expect(report.estimatedRecall >= 0.99)
    }
}
