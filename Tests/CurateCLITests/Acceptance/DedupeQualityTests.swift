import CurateTestSupport
import Foundation
import Testing

/// `dedupe` with `prefer: [quality]` keeps the better copy of a picture even where PDQ quality, which saturates
/// at 100 for most photos, cannot tell them apart.
@Suite struct DedupeQualityTests {
    @Test("a sharp copy is kept over a blurred, heavily compressed one of the same size, in either input order")
    func keepsSharpCopy() throws {
        for order in [["soft", "sharp"], ["sharp", "soft"]] {
            let folder = try Fixtures.temporaryFolder()
            for name in order {
                try FileManager.default.copyItem(
                    at: Fixtures.url("hashes/quality/\(name).jpg"), to: folder.appendingPathComponent("\(name).jpg"))
            }
            let rows = order.map { #"{"key": "\#($0)", "image": "\#($0).jpg", "caption": "a baboon"}"# }
            let manifest = folder.appendingPathComponent("m.jsonl")
            try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: manifest)
            let policy = folder.appendingPathComponent("q.yaml")
            try Data("version: 1\nactions:\n  - dedupe: {scope: near, keep: 1, prefer: [quality]}\n".utf8).write(to: policy)
            let out = folder.appendingPathComponent("out")
            let result = try CurateBinary.run([
                "apply", manifest.path, "--policy", policy.path, "--out", out.path, "-q",
                "--index", folder.appendingPathComponent("index.sqlite").path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let removed = try Output.jsonLines(out.appendingPathComponent("removed.jsonl"))
            #expect(removed.map { $0["key"] as? String } == ["soft"], "order \(order)")
        }
    }
}
