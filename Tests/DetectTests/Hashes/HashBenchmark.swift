internal import CTurboJPEG
@testable import Detect
import Foundation
import Testing

/// Single-core hashing throughput on a folder of JPEGs, next to plain TurboJPEG decode loops (one handle, one
/// reused RGB buffer, no header walks or orientation): at full size, and at the same DCT scale feature extraction
/// decodes at (the decode limit); the same-scale luma-only decode is printed for reference. Skipped unless CURATE_BENCH_HASH_DIR is set; scripts/bench-hash.sh runs it in
/// release mode and compares with imagehash in Python. With CURATE_BENCH_PROFILE=1 it only extracts features, for
/// about 2 CPU seconds (to run under `perf record`; CURATE_BENCH_PROFILE_SECONDS=N for longer, as under valgrind). CURATE_BENCH_ROTATIONS="" (no turned views) and
/// CURATE_BENCH_NO_INSET=1 measure what those views cost.
@Suite struct HashBenchmark {
    static let environment = ProcessInfo.processInfo.environment
    static let folder = environment["CURATE_BENCH_HASH_DIR"]

    /// CPU seconds this thread has run: time the shared core spends on other processes is not counted.
    static func threadSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Images per CPU second of `body` over all files, in passes of at least `seconds` of this thread's CPU time.
    static func rate(_ files: [Data], seconds: Double, _ body: (Data) throws -> Void) rethrows -> Double {
        var count = 0
        let start = threadSeconds()
        var elapsed = 0.0
        repeat {
            for data in files { try body(data) }
            count += files.count
            elapsed = threadSeconds() - start
        } while elapsed < seconds
        return Double(count) / elapsed
    }

    /// A bare TurboJPEG RGB decode at the size `minimumSide` selects (nil: full size); returns the decoded width.
    final class PlainDecoder {
        let handle: tjhandle
        var buffer = [UInt8](repeating: 0, count: 1 << 22)

        init() throws { handle = try #require(tjInitDecompress()) }
        deinit { tjDestroy(handle) }

        func decode(_ data: Data, minimumSide target: Int?, gray: Bool = false) throws -> Int {
            try data.withUnsafeBytes { raw in
                let base = raw.bindMemory(to: UInt8.self).baseAddress!
                var w: Int32 = 0, h: Int32 = 0, sub: Int32 = 0, cs: Int32 = 0
                try #require(tjDecompressHeader3(handle, base, UInt(raw.count), &w, &h, &sub, &cs) == 0)
                let side = target.map { JPEGDimensions.powerOfTwoMinimumSide(width: Int(w), height: Int(h), target: $0) }
                let (sw, sh) = JPEGDecoder.scaledSize(width: Int(w), height: Int(h), minimumSide: side)
                if buffer.count < sw * sh * 3 { buffer = [UInt8](repeating: 0, count: sw * sh * 3) }
                let status = buffer.withUnsafeMutableBufferPointer { out in
                    tjDecompress2(handle, base, UInt(raw.count), out.baseAddress, Int32(sw), 0, Int32(sh), (gray ? TJPF_GRAY : TJPF_RGB).rawValue, 0)
                }
                try #require(status == 0 || tjGetErrorCode(handle) != TJERR_FATAL.rawValue)
                return sw
            }
        }
    }

    @Test("benchmark feature extraction against the decode limit", .enabled(if: folder != nil))
    func benchmark() throws {
        let url = URL(fileURLWithPath: try #require(Self.folder))
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") }.sorted()
        let files = try names.map { try Data(contentsOf: url.appendingPathComponent($0)) }
        try #require(!files.isEmpty)
        var options = FeatureOptions()
        if let side = Self.environment["CURATE_BENCH_MIN_SIDE"].flatMap(Int.init) { options.decodeMinimumSide = side }
        if Self.environment["CURATE_BENCH_NO_INSET"] != nil { options.insetView = false }
        if let angles = Self.environment["CURATE_BENCH_ROTATIONS"] {
            options.rotationDegrees = angles.split(separator: ",").compactMap { Double($0) }
        }
        var sink = 0
        if Self.environment["CURATE_BENCH_PROFILE"] == "1" {
            let seconds = Self.environment["CURATE_BENCH_PROFILE_SECONDS"].flatMap(Double.init) ?? 2
            let rate = try Self.rate(files, seconds: seconds) { data in
                sink &+= Int(try FeatureExtractor.features(of: data, options: options).hashes.phash & 1)
            }
            print("PROFILE images=\(files.count) features_per_s=\(String(format: "%.1f", rate)) sink=\(sink & 1)")
            return
        }
        let plain = try PlainDecoder()
        // Warm up caches and lazily built tables.
        for data in files.prefix(8) { sink &+= Int(try FeatureExtractor.features(of: data, options: options).hashes.phash & 1) }
        let seconds = Self.environment["CURATE_BENCH_SECONDS"].flatMap(Double.init) ?? 1
        var full = 0.0, scaled = 0.0, gray = 0.0, features = 0.0, ownDecode = 0.0
        // Interleaved rounds, best of each, in thread CPU time: the machine is shared, and preemption and cache
        // pollution from other processes hit one measurement at a time.
        for _ in 0..<3 {
            full = max(full, try Self.rate(files, seconds: seconds) { sink &+= try plain.decode($0, minimumSide: nil) })
            scaled = max(scaled, try Self.rate(files, seconds: seconds) { sink &+= try plain.decode($0, minimumSide: options.decodeMinimumSide) })
            gray = max(gray, try Self.rate(files, seconds: seconds) {
                sink &+= try plain.decode($0, minimumSide: options.decodeMinimumSide, gray: true)
            })
            // Our own decode as feature extraction runs it (header walk, EXIF, a handle per file), no hashing.
            ownDecode = max(ownDecode, try Self.rate(files, seconds: seconds) { data in
                var side = options.decodeMinimumSide
                if let target = side, let size = JPEGDimensions.read(data) {
                    side = JPEGDimensions.powerOfTwoMinimumSide(width: size.width, height: size.height, target: target)
                }
                sink &+= try ImageDecoder.decode(data, options: DecodeOptions(maxPixels: options.maxPixels, minimumSide: side, grayscale: true)).pixels.width
            })
            features = max(features, try Self.rate(files, seconds: seconds) { data in
                sink &+= Int(try FeatureExtractor.features(of: data, options: options).hashes.phash & 1)
            })
        }
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        func r(_ x: Double) -> String { String(format: "%.2f", x) }
        print("BENCH min_side=\(options.decodeMinimumSide.map(String.init) ?? "full") images=\(files.count) features_per_s=\(f(features)) scaled_decode_per_s=\(f(scaled)) full_decode_per_s=\(f(full)) gray_scaled_decode_per_s=\(f(gray)) own_gray_decode_per_s=\(f(ownDecode)) ratio_to_scaled_decode=\(r(features / scaled)) ratio_to_full_decode=\(r(features / full)) sink=\(sink & 1)")
        #expect(features > 0 && scaled > 0 && full > 0)
    }
}
