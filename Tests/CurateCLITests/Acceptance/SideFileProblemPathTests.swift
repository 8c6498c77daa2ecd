import CurateTestSupport
import Foundation
import Testing

/// problems.jsonl names every file as the user gave it on the command line: a NaN embedding row or a bad
/// objects line used to carry the absolute path while the manifest's problems carried the relative one.
@Suite struct SideFileProblemPathTests {
    @Test("problems in --embeddings and --objects files name them as given, like the manifest's problems")
    func sideFilesNamedAsGiven() throws {
        let manifest = try Fixtures.manifestBesidePhotos(
            "train.jsonl",
            """
            {"key": "a", "image": "p0.jpg", "caption": "a photo"}
            {"key": "b", "image": "missing.jpg", "caption": "a lost photo"}

            """)
        let folder = manifest.deletingLastPathComponent()
        try ReliabilityFiles.writeNPY(rows: 2, dimension: 4, to: folder.appendingPathComponent("emb.npy")) {
            row, column in row == 1 && column == 2 ? .nan : Float(row + column + 1)
        }
        try Data(#"{"key": "a", "objects": "flag"}"#.utf8).write(to: folder.appendingPathComponent("objects.jsonl"))
        let result = try CurateBinary.run(
            [
                "audit", "train.jsonl", "--embeddings", "emb.npy", "--objects", "objects.jsonl", "--policy",
                Fixtures.policy("audit-only.yaml"), "--out", "out", "--quiet",
            ], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let problems = try Output.jsonLines(folder.appendingPathComponent("out/problems.jsonl"))
        let files = Dictionary(problems.map { ($0["kind"] as? String ?? "", $0["file"] as? String ?? "") }) { a, _ in a }
        #expect(files == ["missing_image": "train.jsonl", "invalid_embedding": "emb.npy", "malformed_objects": "objects.jsonl"])
        let nan = try #require(problems.first { $0["kind"] as? String == "invalid_embedding" })
        // A single .npy file is not a shard of a folder: its row is the sample's.
        #expect(nan["message"] as? String == "row 1 holds NaN or infinity; left out of embedding evidence")
    }
}
