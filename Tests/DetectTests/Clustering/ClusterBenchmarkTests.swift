import Detect
import Foundation
import Testing

/// The scale benchmark's Swift side; `scripts/bench-cluster.sh` generates the data and runs it in release mode.
///
/// Skipped unless `CURATE_BENCH_CLUSTER` is set to the data folder the script wrote (`hashes.bin`: per sample 19
/// little-endian UInt64 = pHash×3 views, dHash×3, PDQ 4 words × 3, trimmed-view flag, then `content.bin`: 2
/// UInt64 per sample, and `embeddings.npy`). Writes `swift-result.json` and `swift-embedding-pairs.bin` there.
@Suite struct ClusterBenchmarkTests {
    static let folder = ProcessInfo.processInfo.environment["CURATE_BENCH_CLUSTER"]

    /// Peak resident set size of this process so far, from /proc/self/status (kB).
    static func peakRSSkB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
        }
        return -1
    }

    /// CPU seconds used by this process (all threads) so far.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    @Test("clusters the benchmark data set", .enabled(if: folder != nil))
    func benchmark() throws {
        let folder = URL(fileURLWithPath: Self.folder!)
        let start = Date()
        let raw = try Data(contentsOf: folder.appendingPathComponent("hashes.bin"), options: .alwaysMapped)
        let content = try Data(contentsOf: folder.appendingPathComponent("content.bin"), options: .alwaysMapped)
        let count = raw.count / (19 * 8)
        var features: [ImageFeatures?] = []
        features.reserveCapacity(count)
        raw.withUnsafeBytes { r in
            content.withUnsafeBytes { c in
                for i in 0..<count {
                    func word(_ k: Int) -> UInt64 { r.loadUnaligned(fromByteOffset: (i * 19 + k) * 8, as: UInt64.self) }
                    func view(_ v: Int) -> PerceptualHashes {
                        PerceptualHashes(
                            phash: word(v), dhash: word(3 + v),
                            pdq: PDQHash(word(6 + 4 * v), word(7 + 4 * v), word(8 + 4 * v), word(9 + 4 * v)), pdqQuality: 100)
                    }
                    let hash = ContentHash(
                        high: c.loadUnaligned(fromByteOffset: i * 16, as: UInt64.self),
                        low: c.loadUnaligned(fromByteOffset: i * 16 + 8, as: UInt64.self))
                    features.append(
                        ImageFeatures(
                            contentHash: hash, byteCount: 0, format: .jpeg, width: 256, height: 256, hashes: view(0),
                            mirrored: view(1), trimmed: word(18) != 0 ? view(2) : nil))
                }
            }
        }
        let embeddings = try EmbeddingMatrix(contentsOf: folder.appendingPathComponent("embeddings.npy"))
        let loaded = Date()
        let cpuBefore = Self.cpuSeconds()
        let clusterer = NearDuplicateClusterer()
        let (clustering, report) = try clusterer.clusterWithReport(features: features, embeddings: embeddings)
        let done = Date()
        let peak = Self.peakRSSkB()
        let cpuCluster = Self.cpuSeconds() - cpuBefore
        // Embedding pairs on their own, for the recall check against brute force in the script.
        let embeddingStart = Date()
        let embeddingCPU = Self.cpuSeconds()
        let pairs = EmbeddingPairSearch.pairs(
            in: embeddings, minCosine: Float(clusterer.thresholds.embeddingMinCosine!), options: clusterer.embeddingOptions
        ).pairs
        let embeddingSeconds = Date().timeIntervalSince(embeddingStart)
        let embeddingCPUSeconds = Self.cpuSeconds() - embeddingCPU
        try pairs.withUnsafeBytes { try Data($0).write(to: folder.appendingPathComponent("swift-embedding-pairs.bin")) }
        let result: [String: Any] = [
            "samples": count,
            "load_seconds": loaded.timeIntervalSince(start),
            "cluster_seconds": done.timeIntervalSince(loaded),
            "stage_seconds": report.seconds,
            "cluster_cpu_seconds": cpuCluster,
            "embedding_alone_seconds": embeddingSeconds,
            "embedding_alone_cpu_seconds": embeddingCPUSeconds,
            "links": Dictionary(uniqueKeysWithValues: report.linksByEvidence.map { ($0.key.rawValue, $0.value) }),
            "clusters": clustering.clusters.count,
            "clustered_samples": clustering.clusters.reduce(0) { $0 + $1.members.count },
            "largest_cluster": clustering.clusters.map(\.members.count).max() ?? 0,
            "split_components": report.splitComponents,
            "ivf_lists": report.embeddingSearch?.lists ?? 0,
            "ivf_probes": report.embeddingSearch?.probes ?? 0,
            "ivf_estimated_recall": report.embeddingSearch?.estimatedRecall ?? 0,
            "peak_rss_kb": peak,
            "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
        try json.write(to: folder.appendingPathComponent("swift-result.json"))
        print(String(decoding: json, as: UTF8.self))
        #expect(clustering.clusterOf.count == count)
    }
}
