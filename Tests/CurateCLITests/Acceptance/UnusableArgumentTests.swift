import CurateTestSupport
import Foundation
import Testing

/// "Unusable arguments stop at once with exit 2 and a message that says what to change": a mistyped side-file
/// path or a shard list that names a missing shard is a usage error, not bad input to count and go past.
@Suite struct UnusableArgumentTests {
    /// A manifest of one real photograph, in a fresh folder.
    func manifest() throws -> URL {
        let folder = try Fixtures.temporaryFolder()
        try FileManager.default.copyItem(at: Fixtures.photos[0], to: folder.appendingPathComponent("a.jpg"))
        let manifest = folder.appendingPathComponent("rows.jsonl")
        try Data(#"{"key": "a", "image": "a.jpg", "caption": "a photo"}"#.utf8 + [0x0A]).write(to: manifest)
        return manifest
    }

    @Test("a side file that does not exist exits 2 naming the option, and writes no output folder", arguments: [
        "--embeddings", "--objects",
    ])
    func missingSideFile(option: String) throws {
        let manifest = try manifest()
        let missing = manifest.deletingLastPathComponent().appendingPathComponent("no-such-file").path
        let out = manifest.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CurateBinary.run([
            "audit", manifest.path, option, missing, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path,
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(option) && result.stderr.contains(missing), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("concepts files that do not exist exit 2 naming the option")
    func missingConcepts() throws {
        let manifest = try manifest()
        let folder = manifest.deletingLastPathComponent()
        try Data([0x93] + Array("NUMPY".utf8)).write(to: folder.appendingPathComponent("e.npy"))
        let result = try CurateBinary.run([
            "stats", manifest.path, "--embeddings", folder.appendingPathComponent("e.npy").path, "--concepts",
            folder.appendingPathComponent("c.npy").path, "--concept-labels", folder.appendingPathComponent("l.txt").path,
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--concepts"), "\(result.stderr)")
    }

    @Test("a shard list or glob that names a missing shard or matches nothing exits 2", arguments: [
        "shard-{000..001}.tar", "none-*.tar",
    ])
    func missingShards(pattern: String) throws {
        let folder = try Fixtures.temporaryFolder()
        try FileManager.default.copyItem(
            at: Fixtures.url("acceptance/dotted.tar"), to: folder.appendingPathComponent("shard-000.tar"))
        let result = try CurateBinary.run([
            "audit", folder.appendingPathComponent(pattern).path, "--policy", Fixtures.policy("audit-only.yaml"),
            "--out", folder.appendingPathComponent("out").path,
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test("an index that cannot be created beside a (read-only) dataset names its path and says to pass --index")
    func unopenableDefaultIndex() throws {
        let manifest = try manifest()
        // A file where the default index folder would go: as unusable as a read-only dataset folder, even for root.
        let blocker = manifest.deletingLastPathComponent().appendingPathComponent(".curate")
        try Data().write(to: blocker)
        let result = try CurateBinary.run(["scan", manifest.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains(blocker.appendingPathComponent("index.sqlite").path), "\(result.stderr)")
        #expect(result.stderr.contains("--index"), "\(result.stderr)")
        #expect(!result.stderr.contains("SELECT"), "no SQL in a user-facing message: \(result.stderr)")
    }
}
