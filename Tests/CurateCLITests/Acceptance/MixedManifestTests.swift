import CurateTestSupport
import Foundation
import Testing

/// Manifests of different kinds in one `apply` give one `manifest.jsonl`: a JSONL row stays its line, a CSV/TSV row
/// becomes a JSON object of its cells (as does a folder's `metadata.csv`, whose cleaned list is JSONL too). Webdataset
/// shards mixed with manifests are refused instead.
@Suite struct MixedManifestTests {
    @Test("a JSONL manifest and a TSV one give a manifest.jsonl whose every line is a JSON object")
    func jsonlAndTSV() throws {
        let folder = try Fixtures.temporaryFolder()
        for (index, photo) in Fixtures.photos.prefix(3).enumerated() {
            try FileManager.default.copyItem(at: photo, to: folder.appendingPathComponent("p\(index).jpg"))
        }
        let jsonl = folder.appendingPathComponent("a.jsonl")
        let line = #"{"key": "j0", "image": "p0.jpg", "caption": "from jsonl", "n": 1.50}"#
        try Data((line + "\n").utf8).write(to: jsonl)
        let tsv = folder.appendingPathComponent("b.tsv")
        try Data("key\timage\tcaption\tscore\nt0\tp1.jpg\t\"quoted\" caption\t0.5\nt1\tp2.jpg\tplain\n".utf8).write(to: tsv)
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run([
            "apply", jsonl.path, tsv.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "-q",
            "--index", folder.appendingPathComponent("index.sqlite").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Output.lines(out.appendingPathComponent("manifest.jsonl"))
        #expect(lines.count == 3)
        #expect(lines.first == line, "a JSONL row is still its line")
        let objects = lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.allSatisfy { $0 != nil }, "\(lines)")
        #expect(objects[1]?["key"] as? String == "t0")
        #expect(objects[1]?["caption"] as? String == "\"quoted\" caption")
        #expect(objects[1]?["score"] as? String == "0.5")
        #expect(objects[2]?["score"] as? String == "", "a short row's missing cell is empty")
    }

    @Test("an image folder with a metadata.csv gives a manifest.jsonl of JSON objects, not of its CSV rows")
    func folderWithMetadataCSV() throws {
        let folder = try Fixtures.temporaryFolder()
        let dataset = folder.appendingPathComponent("train")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        for (index, photo) in Fixtures.photos.prefix(2).enumerated() {
            try FileManager.default.copyItem(at: photo, to: dataset.appendingPathComponent("p\(index).jpg"))
        }
        try Data("file_name,text,score\np0.jpg,\"a photo, quoted\",1\np1.jpg,another,2\n".utf8)
            .write(to: dataset.appendingPathComponent("metadata.csv"))
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run([
            "apply", dataset.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "-q",
            "--index", folder.appendingPathComponent("index.sqlite").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try Output.lines(out.appendingPathComponent("manifest.jsonl")) == [
                #"{"file_name":"p0.jpg","text":"a photo, quoted","score":"1"}"#,
                #"{"file_name":"p1.jpg","text":"another","score":"2"}"#,
            ])
    }
}
