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

    @Test("a manifest none of whose rows has an image field exits 2 naming it, its columns and --image-field", arguments: [
        "scan", "audit", "apply", "stats",
    ])
    func noImageField(command: String) throws {
        let folder = try Fixtures.temporaryFolder()
        try FileManager.default.copyItem(at: Fixtures.photos[0], to: folder.appendingPathComponent("a.jpg"))
        let manifest = folder.appendingPathComponent("rows.csv")
        try Data("id,picture,caption\na,a.jpg,a photo\nb,a.jpg,again\n".utf8).write(to: manifest)
        let out = folder.appendingPathComponent("out")
        let index = folder.appendingPathComponent("index.sqlite").path
        let policy = ["audit", "apply"].contains(command)
            ? ["--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path] : []
        let result = try CurateBinary.run([command, manifest.path, "--index", index] + policy)
        #expect(result.status == 2, "\(result.stderr)")
        for said in [manifest.path, #""id", "picture", "caption""#, "--image-field"] {
            #expect(result.stderr.contains(said), "\(said): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // Named, it is read; one row of many without an image stays a problem of that row.
        let named = try CurateBinary.run([command, manifest.path, "--index", index, "--image-field", "Picture"] + policy)
        #expect(named.status == 0, "\(named.stderr)")
        try Data("id,picture,caption\na,a.jpg,a photo\nb,,again\n".utf8).write(to: manifest)
        try? FileManager.default.removeItem(at: out)
        let oneMissing = try CurateBinary.run(
            [command, manifest.path, "--index", index, "--image-field", "picture"] + policy)
        #expect(oneMissing.status == 0, "\(oneMissing.stderr)")
    }

    @Test("--jobs below 1, negative included, exits 2 saying it takes a positive integer", arguments: ["-3", "0"])
    func badJobs(value: String) throws {
        let result = try CurateBinary.run(["stats", try manifest().path, "--jobs", value])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--jobs must be a positive integer"), "\(result.stderr)")
    }

    @Test("--index naming a folder exits 2 and says it takes a file", arguments: [["stats"], ["scan"], ["index", "merge"]])
    func indexFolder(command: [String]) throws {
        let rows = try manifest()
        let folder = rows.deletingLastPathComponent().path
        let source = command == ["index", "merge"] ? folder + "/part.sqlite" : rows.path
        if command == ["index", "merge"] {
            #expect(try CurateBinary.run(["scan", rows.path, "--index", source]).status == 0)
        }
        let result = try CurateBinary.run(command + [source, "--index", folder])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("is a folder") && result.stderr.contains(folder), "\(result.stderr)")
    }

    @Test("under --json a usage error also prints an error object with the exit code on stdout", arguments: [
        ["stats", "--json", "--top=-3", "MANIFEST"],
        ["audit", "MANIFEST", "--json", "--policy", "NO-SUCH-POLICY.yaml", "--out", "OUT"],
        ["audit", "--json", "--policy", "NO-SUCH-POLICY.yaml"],
        ["policy", "check", "NO-SUCH-POLICY.yaml", "--json"],
    ])
    func jsonErrorObject(arguments: [String]) throws {
        let rows = try manifest()
        let out = rows.deletingLastPathComponent().appendingPathComponent("out").path
        let result = try CurateBinary.run(arguments.map { $0 == "MANIFEST" ? rows.path : $0 == "OUT" ? out : $0 })
        #expect(result.status == 2, "\(result.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(object["exit_code"] as? Int == 2)
        let message = try #require(object["error"] as? String)
        #expect(!message.isEmpty && result.stderr.contains(message), "\(message) | \(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 1, "one JSON object on stdout: \(result.stdout)")
    }

    @Test("without --json a usage error prints nothing on stdout")
    func plainErrorStaysOnStderr() throws {
        let result = try CurateBinary.run(["stats", "--top=-3", try manifest().path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(result.stderr.contains("--top"))
    }
}

/// A run whose inputs gave problems and not one sample still writes its outputs, but fails (exit 1), so a CI gate
/// cannot pass on data it never read; an input that is merely empty is no failure.
@Suite struct NothingReadTests {
    @Test("a manifest of malformed lines exits 1 from audit (gate or not), stats and scan; an empty one exits 0")
    func nothingReadFails() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.jsonl")
        try Data("not json\n{\"key\": \n".utf8).write(to: broken)
        let empty = folder.appendingPathComponent("empty.jsonl")
        try Data().write(to: empty)
        let index = folder.appendingPathComponent("index.sqlite").path
        let policy = Fixtures.policy("audit-only.yaml")

        let out = folder.appendingPathComponent("out")
        let audit = try CurateBinary.run([
            "audit", broken.path, "--policy", policy, "--out", out.path, "--index", index, "--fail-on", "triggers",
        ])
        #expect(audit.status == 1, "\(audit.stderr)")
        #expect(audit.stderr.contains("no sample could be read from the inputs (2 problems"))
        #expect(try Output.jsonLines(out.appendingPathComponent("problems.jsonl")).count == 2)
        for command in [["stats", broken.path], ["scan", broken.path]] {
            let result = try CurateBinary.run(command + ["--index", index])
            #expect(result.status == 1, "\(command[0]): \(result.stderr)")
            // Under --json the result, with its error count, is the one JSON answer (no error object after it).
            let json = try CurateBinary.run(command + ["--index", index, "--json"])
            #expect(json.status == 1)
            let answer = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(answer?["errors"] as? Int == 2, "\(command[0]): \(json.stdout)")
        }

        let quiet = try CurateBinary.run([
            "audit", empty.path, "--policy", policy, "--out", folder.appendingPathComponent("empty-out").path,
            "--index", index, "--fail-on", "triggers",
        ])
        #expect(quiet.status == 0, "\(quiet.stderr)")
    }
}
