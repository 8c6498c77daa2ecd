import CurateTestSupport
import Foundation
import Testing

/// A cleaned manifest keeps its rows untouched, so its relative image paths still point into the dataset's
/// folder, not the output folder it is written to: read beside its `run.json` it is found from there, and
/// elsewhere `--image-root` names the folder.
@Suite struct ImageRootTests {
    @Test("stats of a cleaned manifest finds its images beside its run.json or with --image-root, and says how when not")
    func cleanedManifestReadBack() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(
            at: data.appendingPathComponent("images"), withIntermediateDirectories: true)
        var rows = ""
        for (i, photo) in Fixtures.photos.prefix(3).enumerated() {
            try FileManager.default.copyItem(
                at: photo, to: data.appendingPathComponent("images/\(photo.lastPathComponent)"))
            rows += "{\"key\": \"k\(i)\", \"image\": \"images/\(photo.lastPathComponent)\", \"caption\": \"a photo\"}\n"
        }
        try Data(rows.utf8).write(to: data.appendingPathComponent("train.jsonl"))
        let out = root.appendingPathComponent("out")
        let index = root.appendingPathComponent("index.sqlite").path
        let applied = try CurateBinary.run([
            "apply", data.appendingPathComponent("train.jsonl").path, "--policy", Fixtures.policy("audit-only.yaml"),
            "--out", out.path, "--index", index, "--quiet",
        ])
        #expect(applied.status == 0, "\(applied.stderr)")
        let cleaned = out.appendingPathComponent("manifest.jsonl").path

        // In its output folder, the run's run.json says where the images were read: found without the option.
        let beside = try CurateBinary.run(["stats", cleaned, "--index", index, "--json"])
        #expect(beside.status == 0, "\(beside.stderr)")
        let besideStats = try #require(try JSONSerialization.jsonObject(with: Data(beside.stdout.utf8)) as? [String: Any])
        #expect(besideStats["errors"] as? Int == 0, "\(beside.stderr)")

        // Moved away from its run.json, the paths point nowhere, and the message says so.
        let moved = root.appendingPathComponent("moved.jsonl").path
        try FileManager.default.copyItem(atPath: cleaned, toPath: moved)
        let lost = try CurateBinary.run(["stats", moved, "--index", index, "--json"])
        #expect(lost.status == 0, "\(lost.stderr)")
        let lostStats = try #require(try JSONSerialization.jsonObject(with: Data(lost.stdout.utf8)) as? [String: Any])
        #expect(lostStats["errors"] as? Int == 3)
        #expect(lost.stderr.contains("missing_image"))

        let found = try CurateBinary.run(["stats", cleaned, "--index", index, "--image-root", data.path, "--json"])
        #expect(found.status == 0, "\(found.stderr)")
        let foundStats = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])
        #expect(foundStats["samples"] as? Int == 3)
        #expect(foundStats["errors"] as? Int == 0)
    }

    @Test("an --image-root that is not a folder exits 2 and names it")
    func imageRootMustBeAFolder() throws {
        let result = try CurateBinary.run([
            "stats", Fixtures.url("readers/manifests/basic.jsonl").path, "--image-root", "/no/such/folder", "--json",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--image-root must be an existing folder; /no/such/folder"))
    }
}
