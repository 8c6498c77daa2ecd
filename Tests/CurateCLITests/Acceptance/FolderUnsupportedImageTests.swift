import CurateTestSupport
import Foundation
import Testing

/// A GIF or BMP in an image folder is a sample whose image cannot be read (as the same file named by a JSONL row
/// is), not a file skipped without a word: "no sample vanishes silently".
@Suite struct FolderUnsupportedImageTests {
    @Test("GIF and BMP files of a folder are samples with an unsupported_format problem, captions included")
    func unsupportedImagesAreCounted() throws {
        let folder = try Fixtures.temporaryFolder().appendingPathComponent("lora")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.photos[0], to: folder.appendingPathComponent("a.jpg"))
        try FileManager.default.copyItem(at: Fixtures.url("acceptance/tiny.gif"), to: folder.appendingPathComponent("b.gif"))
        try FileManager.default.copyItem(at: Fixtures.url("acceptance/tiny.bmp"), to: folder.appendingPathComponent("c.bmp"))
        for (name, text) in [("a", "a photo"), ("b", "an animation")] {
            try Data(text.utf8).write(to: folder.appendingPathComponent("\(name).txt"))
        }
        let out = folder.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CurateBinary.run([
            "apply", folder.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let kept = try Output.jsonLines(out.appendingPathComponent("manifest.jsonl"))
        #expect(kept.compactMap { $0["file_name"] as? String } == ["a.jpg", "b.gif", "c.bmp"])
        #expect(kept.compactMap { $0["text"] as? String } == ["a photo", "an animation", ""])
        let problems = try Output.jsonLines(out.appendingPathComponent("problems.jsonl"))
        let unsupported = problems.filter { $0["kind"] as? String == "unsupported_format" }
        #expect(unsupported.compactMap { $0["key"] as? String } == ["b", "c"])
        // c.bmp has no c.txt: its empty caption is reported too.
        let uncaptioned = problems.filter { $0["kind"] as? String == "missing_field" }
        #expect(uncaptioned.compactMap { $0["key"] as? String } == ["c"])
        #expect(problems.count == 3)
    }
}
