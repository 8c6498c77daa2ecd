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

    @Test("a path that escapes through a symlink or '..' says how to read it, and the --image-root it names works")
    func escapeSaysHowToFixIt() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        // The common layout: the project links to a shared images folder, `images -> /…/shared/images`.
        let shared = root.appendingPathComponent("shared")
        try FileManager.default.createDirectory(
            at: shared.appendingPathComponent("images"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.photos[0], to: shared.appendingPathComponent("images/a.jpg"))
        let project = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: project.appendingPathComponent("images"), withDestinationURL: shared.appendingPathComponent("images"))
        let manifest = project.appendingPathComponent("train.jsonl")
        try Data(#"{"key": "a", "image": "images/a.jpg", "caption": "a plane"}"#.utf8).write(to: manifest)
        let climbing = project.appendingPathComponent("climb.jsonl")
        try Data(#"{"key": "b", "image": "../shared/images/a.jpg", "caption": "a plane"}"#.utf8).write(to: climbing)
        let index = root.appendingPathComponent("index.sqlite").path

        let escaped = try CurateBinary.run(["stats", manifest.path, "--index", index])
        #expect(escaped.stderr.contains("path_escape"), "\(escaped.stderr)")
        let realShared = try #require(realpath(shared.path, nil).map { String(cString: $0) })
        #expect(escaped.stderr.contains("--image-root \(realShared)"), "\(escaped.stderr)")

        let climbed = try CurateBinary.run(["stats", climbing.path, "--index", index])
        #expect(climbed.stderr.contains("path_escape"), "\(climbed.stderr)")
        #expect(climbed.stderr.contains("relative to a folder that holds the images"), "\(climbed.stderr)")
        #expect(climbed.stderr.contains("--image-root DIR"), "\(climbed.stderr)")

        // The option the message names reads the image.
        let fixed = try CurateBinary.run(
            ["stats", manifest.path, "--index", index, "--image-root", realShared, "--json"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(fixed.stdout.utf8)) as? [String: Any])
        #expect(stats["errors"] as? Int == 0, "\(fixed.stderr)")
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
