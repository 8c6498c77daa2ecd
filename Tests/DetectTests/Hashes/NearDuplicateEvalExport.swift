import Detect
import Foundation
import Testing

/// Exports our features for a near-duplicate benchmark (scripts/make-neardup-eval.py builds one), for
/// scripts/eval-neardup.py to score. Skipped unless CURATE_NEARDUP_EVAL names the manifest.jsonl; the TSV goes
/// to CURATE_NEARDUP_OUT (default: features.tsv beside the manifest). Run it in release mode:
///
///     CURATE_NEARDUP_EVAL=/work/eval/neardup/manifest.jsonl swift test -c release --filter NearDuplicateEvalExport
@Suite struct NearDuplicateEvalExport {
    static let manifest = ProcessInfo.processInfo.environment["CURATE_NEARDUP_EVAL"]

    @Test("export features of every image in the benchmark manifest", .enabled(if: manifest != nil))
    func export() throws {
        let manifestURL = URL(fileURLWithPath: try #require(Self.manifest))
        let outPath = ProcessInfo.processInfo.environment["CURATE_NEARDUP_OUT"]
            ?? manifestURL.deletingLastPathComponent().appendingPathComponent("features.tsv").path
        let lines = try String(contentsOf: manifestURL, encoding: .utf8).split(separator: "\n")
        // The centered view's share can be varied for experiments (CURATE_NEARDUP_CENTER=0.8), and the decode size (CURATE_NEARDUP_MIN_SIDE=128).
        var options = FeatureOptions()
        if let share = ProcessInfo.processInfo.environment["CURATE_NEARDUP_CENTER"].flatMap(Double.init) { options.centerShare = share }
        if let side = ProcessInfo.processInfo.environment["CURATE_NEARDUP_MIN_SIDE"].flatMap(Int.init) { options.decodeMinimumSide = side }
        var rows = ["path\tphash\tphash_m\tphash_t\tdhash\tdhash_m\tdhash_t\tpdq\tpdq_m\tpdq_t\tquality\terror\tphash_c\tpdq_c"]
        var failures = 0
        let start = Date()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let path = try #require(object["path"] as? String)
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let f = try FeatureExtractor.features(of: data, options: options)
                let t = f.trimmed
                let centered = f.centered
                rows.append([
                    path, f.hashes.phashHex, f.mirrored.phashHex, t?.phashHex ?? "",
                    f.hashes.dhashHex, f.mirrored.dhashHex, t?.dhashHex ?? "",
                    f.hashes.pdqHex, f.mirrored.pdqHex, t?.pdqHex ?? "", String(f.hashes.pdqQuality), "",
                    centered?.phashHex ?? "", centered?.pdqHex ?? "",
                ].joined(separator: "\t"))
            } catch {
                failures += 1
                let message = "\(error)".replacingOccurrences(of: "\t", with: " ")
                rows.append(([path] + Array(repeating: "", count: 10) + [message, "", ""]).joined(separator: "\t"))
            }
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: outPath, atomically: true, encoding: .utf8)
        print("exported \(lines.count) images (\(failures) failed) to \(outPath) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        #expect(failures == 0)
    }
}
