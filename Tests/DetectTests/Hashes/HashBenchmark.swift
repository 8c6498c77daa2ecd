import Detect
import Foundation
import Testing

/// Single-core hashing throughput on a folder of JPEGs, next to a plain full-size TurboJPEG decode loop (the
/// decode limit). Skipped unless CURATE_BENCH_HASH_DIR is set; scripts/bench-hash.sh runs it in release mode and
/// compares with imagehash in Python.
@Suite struct HashBenchmark {
    static let folder = ProcessInfo.processInfo.environment["CURATE_BENCH_HASH_DIR"]

    /// Runs `body` over all files until at least `seconds` have passed; returns images per second.
    static func rate(_ files: [Data], seconds: Double = 3, _ body: (Data) throws -> Void) rethrows -> Double {
        var count = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            for data in files { try body(data) }
            count += files.count
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Double(count) / elapsed
    }

    @Test("benchmark feature extraction against the full decode limit", .enabled(if: folder != nil))
    func benchmark() throws {
        let url = URL(fileURLWithPath: try #require(Self.folder))
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") }.sorted()
        let files = try names.map { try Data(contentsOf: url.appendingPathComponent($0)) }
        try #require(!files.isEmpty)
        var options = FeatureOptions()
        if let side = ProcessInfo.processInfo.environment["CURATE_BENCH_MIN_SIDE"].flatMap(Int.init) { options.decodeMinimumSide = side }
        var sink = 0
        // Warm up caches and lazily built tables.
        for data in files.prefix(8) { sink &+= Int(try FeatureExtractor.features(of: data, options: options).hashes.phash & 1) }
        let decode = try Self.rate(files) { data in sink &+= try ImageDecoder.decode(data).pixels.width }
        let features = try Self.rate(files) { data in sink &+= Int(try FeatureExtractor.features(of: data, options: options).hashes.phash & 1) }
        let scaled = try Self.rate(files) { data in
            sink &+= try ImageDecoder.decode(data, options: DecodeOptions(minimumSide: options.decodeMinimumSide)).pixels.width
        }
        print("BENCH min_side=\(options.decodeMinimumSide.map(String.init) ?? "full") images=\(files.count) features_per_s=\(String(format: "%.1f", features)) full_decode_per_s=\(String(format: "%.1f", decode)) scaled_decode_per_s=\(String(format: "%.1f", scaled)) ratio_to_decode=\(String(format: "%.2f", features / decode)) sink=\(sink & 1)")
        #expect(features > 0 && decode > 0)
    }
}
