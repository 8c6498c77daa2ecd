import CurateTestSupport
import Detect
import Foundation
import Testing

/// Measures how far hashes from DCT-scaled decodes drift from the full-size reference, per `minimumSide`.
/// Run with CURATE_HASH_SCALE_REPORT=1; it prints a table and asserts nothing beyond sanity.
@Suite struct DecodeScaleReport {
    @Test("report hash drift per decode size", .enabled(if: ProcessInfo.processInfo.environment["CURATE_HASH_SCALE_REPORT"] != nil))
    func report() throws {
        let golden = try GoldenHashes.load()
        for side in [64, 96, 120, 128, 160, 192, 256, 384, 0] {
            var p: [Int] = [], d: [Int] = [], q: [Int] = [], qq: [Int] = []
            for url in Fixtures.photos {
                let photo = try #require(golden.photos[url.lastPathComponent])
                let f = try FeatureExtractor.features(of: Data(contentsOf: url), options: FeatureOptions(decodeMinimumSide: side == 0 ? nil : side))
                p.append(hammingDistance(f.hashes.phash, parseHex64(photo.phash)!))
                d.append(hammingDistance(f.hashes.dhash, parseHex64(photo.dhash)!))
                if photo.quality >= 80 { q.append(f.hashes.pdq.distance(to: PDQHash(hex: photo.pdq)!)) }
                if let last = q.last, last > 10 { print("  side \(side) \(url.lastPathComponent) \(photo.size) pdq distance \(last) quality \(photo.quality)") }
                qq.append(abs(f.hashes.pdqQuality - photo.quality))
            }
            func stats(_ v: [Int]) -> String {
                let s = v.sorted()
                return "mean \(String(format: "%.2f", Double(s.reduce(0, +)) / Double(max(s.count, 1)))) max \(s.last ?? 0)"
            }
            print("side \(side == 0 ? "full" : String(side)): phash \(stats(p)) | dhash \(stats(d)) | pdq(q>=80, n=\(q.count)) \(stats(q)) | quality diff \(stats(qq))")
        }
    }
}
