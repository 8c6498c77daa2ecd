import CurateTestSupport
import Foundation
import Testing

/// Runs the real `curate` binary on the bundled demo dataset and reads what it wrote.
@Suite(.serialized) struct DemoEndToEndTests {
    static let outputs = ["clusters.jsonl", "triggers.json", "stats.json", "changes.jsonl", "removed.jsonl", "problems.jsonl", "run.json", "report.html"]

    func run(_ command: String, _ demo: URL, policy: String, out: URL, extra: [String] = []) throws -> CurateBinary.Result {
        try CurateBinary.run([
            command, demo.appendingPathComponent("manifest.jsonl").path,
            "--embeddings", demo.appendingPathComponent("embeddings.npy").path,
            "--objects", demo.appendingPathComponent("objects.jsonl").path,
            "--policy", Fixtures.policy(policy), "--out", out.path, "--quiet",
        ] + extra)
    }

    @Test("audit finds the planted word and object triggers and writes every report file but no manifest")
    func auditFindsPlantedTriggers() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("audit")
        let result = try run("audit", demo, policy: "audit-only.yaml", out: out)
        #expect(result.status == 0, "\(result.stderr)")
        for name in Self.outputs {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.jsonl").path))

        let triggers = try Output.json(out.appendingPathComponent("triggers.json"))
        let words = (triggers["word"] as? [[String: Any]] ?? []).compactMap { $0["term"] as? String }
        #expect(words.contains("chelsea"))
        #expect(!words.contains("photo"), "a frequent term over distinct images is not a trigger")
        let objects = (triggers["object"] as? [[String: Any]] ?? []).map { "\($0["term"] ?? "")/\($0["object"] ?? "")" }
        #expect(objects.contains("astronaut/flag"))
        #expect(!objects.contains { $0.hasSuffix("/dog") }, "an object the captions name is not a trigger")

        // The 16 cat copies form one cluster; the coffee copies form another.
        let clusters = try Output.jsonLines(out.appendingPathComponent("clusters.jsonl"))
        let memberSets = clusters.map { Set($0["members"] as? [String] ?? []) }
        #expect(memberSets.contains { $0.filter { $0.hasPrefix("cat-") }.count >= 14 })
        #expect(memberSets.allSatisfy { set in set.allSatisfy { $0.hasPrefix("cat-") } || set.allSatisfy { !$0.hasPrefix("cat-") } })
    }

    @Test("apply keeps every sample accounted for, passes extra fields through and meets the rebalance bound")
    func applyAccountsForEverySample() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("cleaned")
        let result = try run("apply", demo, policy: "mitigate-word-triggers.yaml", out: out)
        #expect(result.status == 0, "\(result.stderr)")
        let input = try Output.lines(demo.appendingPathComponent("manifest.jsonl"))
        let kept = try Output.lines(out.appendingPathComponent("manifest.jsonl"))
        let removed = try Output.jsonLines(out.appendingPathComponent("removed.jsonl"))
        #expect(kept.count + removed.count == input.count)
        #expect(!removed.isEmpty)
        // The report reads the counts curate itself wrote.
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("\(kept.count) / \(removed.count) / "))
        let changed = Set(try Output.jsonLines(out.appendingPathComponent("changes.jsonl")).compactMap { $0["key"] as? String })
        // A kept sample whose caption was not rewritten is its input line, byte for byte.
        let inputByKey = Dictionary(uniqueKeysWithValues: input.map { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["key"] as? String ?? "", line)
        })
        for line in kept {
            let key = (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["key"] as? String ?? ""
            guard !changed.contains(key), let original = inputByKey[key] else { continue }
            #expect(line == original)
        }
        let triggers = try Output.json(out.appendingPathComponent("triggers.json"))
        for entry in triggers["word"] as? [[String: Any]] ?? [] {
            let after = try #require(entry["after"] as? [String: Any])
            let nTop = after["n_top"] as? Double ?? .infinity
            let share = after["top_share"] as? Double ?? 1
            #expect(nTop <= 5 || share <= 0.2, "\(entry["term"] ?? "") after: \(after)")
        }
    }

    @Test("every word trigger has its after statistics when rewrites thin its term out or remove it", arguments: [
        "rebalance: {scope: word_triggers, max_copies: 5, max_share: 0.2, method: decouple}",
        "rewrite_captions: {scope: word_triggers, strategy: drop_term, fraction: 1.0}",
    ])
    func afterOfRewrittenTerms(action: String) throws {
        let demo = try Fixtures.demoCopy()
        let policy = demo.appendingPathComponent("rewrite.yaml")
        try Data("version: 1\nname: rewrite\nseed: 7\nactions:\n  - \(action)\n".utf8).write(to: policy)
        let out = demo.deletingLastPathComponent().appendingPathComponent("rewritten")
        let result = try CurateBinary.run([
            "apply", demo.appendingPathComponent("manifest.jsonl").path, "--policy", policy.path, "--out", out.path, "-q",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let words = try Output.json(out.appendingPathComponent("triggers.json"))["word"] as? [[String: Any]] ?? []
        #expect(!words.isEmpty)
        for entry in words {
            // Before this was measured for every trigger, a term left on fewer captions than the index keeps had none.
            let after = try #require(entry["after"] as? [String: Any], "\(entry["term"] ?? "")")
            let support = try #require(after["support"] as? Double)
            if action.contains("drop_term") { #expect(support == 0 && after["q_value"] as? Double == 1) }
            else { #expect(after["n_top"] as? Double ?? .infinity <= 5 || after["top_share"] as? Double ?? 1 <= 0.2) }
        }
    }

    @Test("stats of a cleaned manifest with the full objects file: one problem for the removed samples' lines")
    func statsOfCleanedList() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("deduped")
        #expect(try run("apply", demo, policy: "dedupe.yaml", out: out).status == 0)
        let removed = try Output.jsonLines(out.appendingPathComponent("removed.jsonl"))
        #expect(removed.count > 1)
        let stats = try CurateBinary.run([
            "stats", out.appendingPathComponent("manifest.jsonl").path, "--image-root", demo.path,
            "--objects", demo.appendingPathComponent("objects.jsonl").path, "--json",
        ])
        #expect(stats.status == 0, "\(stats.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(summary["errors"] as? Int == 1)
        #expect(stats.stderr.contains("unknown_object_key: \(removed.count) lines of the objects file"), "\(stats.stderr)")
        // The run's own index (run.json names it) served the cleaned list: nothing new in the output folder.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".curate").path))
        // Without --image-root the images are found where the run read them, and nothing is decoded again.
        let scan = try CurateBinary.run(["scan", out.appendingPathComponent("manifest.jsonl").path, "--json", "-q"])
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        #expect(counts["images_decoded"] as? Int == 0, "\(scan.stdout)")
        #expect(counts["errors"] as? Int == 0, "\(scan.stdout)")
    }

    @Test("a repeated key is named KEY~2 in removed.jsonl's sample_key and the report; a real KEY~2 hears why")
    func duplicateKeyNames() throws {
        let demo = try Fixtures.demoCopy()
        let images = try FileManager.default.contentsOfDirectory(atPath: demo.appendingPathComponent("images").path)
            .sorted().prefix(4).map { "images/\($0)" }
        let rows = [("a", images[0], "a red kite"), ("b", images[1], "a blue boat"), ("a", images[2], "zebra crossing"),
                    ("a~2", images[3], "a green field")]
        let manifest = demo.appendingPathComponent("dup.jsonl")
        try Data(rows.map { "{\"key\": \"\($0.0)\", \"image\": \"\($0.1)\", \"caption\": \"\($0.2)\"}\n" }.joined().utf8)
            .write(to: manifest)
        let policy = demo.appendingPathComponent("zebra.yaml")
        try Data("version: 1\nname: zebra\nactions:\n  - remove: {term: zebra}\n".utf8).write(to: policy)
        let out = demo.deletingLastPathComponent().appendingPathComponent("dup-out")
        let result = try CurateBinary.run(["apply", manifest.path, "--policy", policy.path, "--out", out.path, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let removed = try Output.jsonLines(out.appendingPathComponent("removed.jsonl"))
        #expect(removed.count == 1)
        #expect(removed.first?["key"] as? String == "a", "the record passes through")
        #expect(removed.first?["sample_key"] as? String == "a~2")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains(">a~2<") || html.contains("a~2</"), "the report names the removed row a~2")
        let problems = try Output.jsonLines(out.appendingPathComponent("problems.jsonl"))
        let messages = problems.compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("\"a\" was already used by an earlier sample") && $0.contains("\"a~2\"") })
        #expect(messages.contains { $0.contains("\"a~2\" is the name an earlier duplicate key was given") })
    }

    @Test("a folder of NAME.txt captions cleaned into manifest.jsonl reads back under the same keys")
    func folderRoundTrip() throws {
        let demo = try Fixtures.demoCopy()
        let folder = demo.appendingPathComponent("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let images = try FileManager.default.contentsOfDirectory(atPath: demo.appendingPathComponent("images").path)
            .sorted().prefix(3)
        for (index, name) in images.enumerated() {
            try FileManager.default.copyItem(
                at: demo.appendingPathComponent("images/\(name)"), to: folder.appendingPathComponent("p\(index).jpg"))
            try Data("photo number \(index)".utf8).write(to: folder.appendingPathComponent("p\(index).txt"))
        }
        let out = demo.deletingLastPathComponent().appendingPathComponent("folder-out")
        let applied = try CurateBinary.run(
            ["apply", folder.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "-q"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let rows = try Output.jsonLines(out.appendingPathComponent("manifest.jsonl"))
        #expect(rows.compactMap { $0["key"] as? String } == ["p0", "p1", "p2"])
        // Read back: the same keys, every image found.
        let again = demo.deletingLastPathComponent().appendingPathComponent("folder-again")
        let reread = try CurateBinary.run(
            ["audit", out.appendingPathComponent("manifest.jsonl").path, "--image-root", folder.path,
             "--policy", Fixtures.policy("audit-only.yaml"), "--out", again.path, "-q"])
        #expect(reread.status == 0, "\(reread.stderr)")
        #expect(try Output.lines(again.appendingPathComponent("problems.jsonl")).isEmpty)
    }

    @Test("stats, audit and apply weigh a reweighted list as the policy did: a second apply changes nothing")
    func reweightedListIsClean() throws {
        let demo = try Fixtures.demoCopy()
        let policy = demo.appendingPathComponent("reweight.yaml")
        try Data(
            "version: 1\nname: rw\nactions:\n  - rebalance: {max_copies: 5, max_share: 0.2, method: reweight}\n".utf8
        ).write(to: policy)
        let out = demo.deletingLastPathComponent().appendingPathComponent("reweighted")
        let manifest = demo.appendingPathComponent("manifest.jsonl")
        let applied = try CurateBinary.run(["apply", manifest.path, "--policy", policy.path, "--out", out.path, "-q"])
        #expect(applied.status == 0, "\(applied.stderr)")
        func triggers(_ arguments: [String]) throws -> [String] {
            let result = try CurateBinary.run(["stats"] + arguments + ["--json", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let words = summary["word"] as? [[String: Any]] ?? []
            let listed = words.filter { $0["trigger"] as? Bool == true }.compactMap { $0["term"] as? String }
            // The count of all triggers, whatever --top lists.
            let counts = summary["triggers"] as? [String: Int]
            #expect(counts?["word"] == listed.count, "\(result.stdout.prefix(300))")
            return listed
        }
        #expect(!(try triggers([manifest.path])).isEmpty)
        let cleaned = out.appendingPathComponent("manifest.jsonl").path
        #expect(try triggers([cleaned, "--image-root", demo.path]).isEmpty)

        // The same policy on its own output: nothing left to do, the same weights written again.
        let again = demo.deletingLastPathComponent().appendingPathComponent("again")
        let second = try CurateBinary.run([
            "apply", cleaned, "--image-root", demo.path, "--policy", policy.path, "--out", again.path, "-q", "--json",
        ])
        #expect(second.status == 0, "\(second.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let counts = try #require(summary["triggers"] as? [String: [String: Int]])
        #expect(counts["before"]?["word"] == 0, "\(second.stdout)")
        #expect(try Data(contentsOf: again.appendingPathComponent("manifest.jsonl")) == Data(contentsOf: URL(fileURLWithPath: cleaned)))
    }

    @Test("mention_object names the hidden object in at least the policy's fraction of the trigger's captions")
    func mentionObject() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("objects")
        let result = try run("apply", demo, policy: "mitigate-object-triggers.yaml", out: out)
        #expect(result.status == 0, "\(result.stderr)")
        let triggers = try Output.json(out.appendingPathComponent("triggers.json"))
        let flag = try #require((triggers["object"] as? [[String: Any]] ?? []).first { $0["object"] as? String == "flag" })
        let before = try #require(flag["before"] as? [String: Any])
        let after = try #require(flag["after"] as? [String: Any])
        #expect(before["mention_rate"] as? Double ?? 1 <= 0.2)
        #expect(after["mention_rate"] as? Double ?? 0 >= 0.5)
        let changes = try Output.jsonLines(out.appendingPathComponent("changes.jsonl"))
        #expect(!changes.isEmpty)
        for change in changes {
            #expect((change["after"] as? String ?? "").contains("flag"))
            #expect(change["rule"] as? String == "actions[1].rewrite_captions")
        }
        let manifest = try Output.jsonLines(out.appendingPathComponent("manifest.jsonl"))
        let rewritten = Dictionary(uniqueKeysWithValues: changes.map { ($0["key"] as? String ?? "", $0["after"] as? String ?? "") })
        for row in manifest {
            if let caption = rewritten[row["key"] as? String ?? ""] { #expect(row["caption"] as? String == caption) }
        }
    }

    @Test("the same inputs, policy and seed give byte-identical files")
    func deterministic() throws {
        let demo = try Fixtures.demoCopy()
        let first = demo.deletingLastPathComponent().appendingPathComponent("one")
        let second = demo.deletingLastPathComponent().appendingPathComponent("two")
        #expect(try run("apply", demo, policy: "caption-noise.yaml", out: first).status == 0)
        #expect(try run("apply", demo, policy: "caption-noise.yaml", out: second).status == 0)
        for name in Self.outputs + ["manifest.jsonl"] where name != "run.json" {
            let a = try Data(contentsOf: first.appendingPathComponent(name))
            let b = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(a == b, "\(name) differs between runs")
        }
    }

    @Test("curate report rebuilds the same report.html from an output folder")
    func reportRebuild() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("rebuild")
        #expect(try run("audit", demo, policy: "mitigate-word-triggers.yaml", out: out).status == 0)
        let report = out.appendingPathComponent("report.html")
        let original = try Data(contentsOf: report)
        #expect(String(decoding: original, as: UTF8.self).contains("data:image/jpeg;base64,"))
        try FileManager.default.removeItem(at: report)
        let result = try CurateBinary.run(["report", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: report) == original)
        let stats = try Output.json(out.appendingPathComponent("stats.json"))
        let captionClusters = try #require(stats["caption_clusters"] as? [String: Any])
        #expect((captionClusters["clusters"] as? Int ?? 0) > 0, "the demo's template captions form caption clusters")
    }

    @Test("curate report run from another folder finds inputs given as relative paths, and warns when they moved")
    func reportFromElsewhere() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("relative")
        let audit = try CurateBinary.run(
            ["audit", "manifest.jsonl", "--embeddings", "embeddings.npy", "--objects", "objects.jsonl",
             "--policy", Fixtures.policy("mitigate-word-triggers.yaml"), "--out", "../relative", "--quiet"],
            in: demo)
        #expect(audit.status == 0, "\(audit.stderr)")
        let report = out.appendingPathComponent("report.html")
        let original = try Data(contentsOf: report)
        try FileManager.default.removeItem(at: report)
        let elsewhere = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let rebuilt = try CurateBinary.run(["report", out.path], in: elsewhere)
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try Data(contentsOf: report) == original)
        // Inputs that moved since: the report is still written, and says why its pictures are missing.
        try FileManager.default.moveItem(
            at: demo.appendingPathComponent("manifest.jsonl"), to: demo.appendingPathComponent("moved.jsonl"))
        let moved = try CurateBinary.run(["report", out.path], in: elsewhere)
        #expect(moved.status == 0)
        #expect(moved.stderr.contains("manifest.jsonl named in run.json is not there any more"), "\(moved.stderr)")
        // An input edited since the run, and an image folder moved away, are both named.
        var text = try String(contentsOf: demo.appendingPathComponent("moved.jsonl"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"caption\": \"", with: "\"caption\": \"edited ")
        try Data(text.utf8).write(to: demo.appendingPathComponent("manifest.jsonl"))
        try FileManager.default.moveItem(
            at: demo.appendingPathComponent("images"), to: demo.appendingPathComponent("images-moved"))
        let edited = try CurateBinary.run(["report", out.path], in: elsewhere)
        #expect(edited.status == 0)
        #expect(edited.stderr.contains("manifest.jsonl changed since the run"), "\(edited.stderr)")
        #expect(edited.stderr.contains("pictures the report shows can be read now"), "\(edited.stderr)")
    }

    @Test("a bad policy stops with exit 2 before anything is written")
    func badPolicy() throws {
        let demo = try Fixtures.demoCopy()
        let policy = demo.appendingPathComponent("bad.yaml")
        try "version: 1\nactions:\n  - dedupe: {keep: 0}\n".write(to: policy, atomically: true, encoding: .utf8)
        let out = demo.deletingLastPathComponent().appendingPathComponent("never")
        let result = try CurateBinary.run([
            "apply", demo.appendingPathComponent("manifest.jsonl").path, "--policy", policy.path, "--out", out.path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("keep"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("--fail-on triggers exits 3 when the dataset has triggers; a non-empty --out is refused")
    func gateAndRefusal() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("gate")
        let gated = try run("audit", demo, policy: "audit-only.yaml", out: out, extra: ["--fail-on", "triggers"])
        #expect(gated.status == 3, "\(gated.stderr)")
        let again = try run("audit", demo, policy: "audit-only.yaml", out: out)
        #expect(again.status == 2)
        #expect(again.stderr.contains("--force"))
    }

    @Test("scan --json reports counts, and a second scan decodes nothing")
    func scanCaches() throws {
        let demo = try Fixtures.demoCopy()
        let manifest = demo.appendingPathComponent("manifest.jsonl").path
        let first = try CurateBinary.run(["scan", manifest, "--json", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(summary["samples"] as? Int == 100)
        #expect((summary["images_decoded"] as? Int ?? 0) > 90)
        for key in ["errors", "error_kinds", "seconds", "images_cached"] { #expect(summary[key] != nil, "\(key)") }
        let second = try CurateBinary.run(["scan", manifest, "--json", "--quiet"])
        let again = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(again["images_decoded"] as? Int == 0)
        #expect(FileManager.default.fileExists(atPath: demo.appendingPathComponent(".curate/index.sqlite").path))
    }

    @Test("policy check accepts every ready policy and names the line of a bad one")
    func policyCheck() throws {
        for name in ["audit-only.yaml", "dedupe.yaml", "mitigate-word-triggers.yaml", "mitigate-object-triggers.yaml", "caption-noise.yaml"] {
            let result = try CurateBinary.run(["policy", "check", Fixtures.policy(name)])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
        let folder = try Fixtures.temporaryFolder()
        let bad = folder.appendingPathComponent("typo.yaml")
        try "version: 1\nseed: 3\nactoins: []\n".write(to: bad, atomically: true, encoding: .utf8)
        let result = try CurateBinary.run(["policy", "check", bad.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(":3:"))
        #expect(result.stderr.contains("actions"))
    }

    @Test("unknown options, and --shard outside scan, are usage errors with exit 2")
    func usageErrors() throws {
        let result = try CurateBinary.run(["audit", "--no-such-flag"])
        #expect(result.status == 2)
        // Only scan shards: an audit of half the images would pass a --fail-on gate on duplicates it never saw.
        let demo = try Fixtures.demoCopy()
        defer { try? FileManager.default.removeItem(at: demo) }
        let manifest = demo.appendingPathComponent("manifest.jsonl").path
        for command in ["audit", "apply", "stats"] {
            var arguments = [command, manifest, "--shard", "1/2"]
            if command != "stats" {
                arguments += ["--policy", Fixtures.policy("audit-only.yaml"), "--out", demo.appendingPathComponent(command).path]
            }
            let sharded = try CurateBinary.run(arguments)
            #expect(sharded.status == 2, "\(command)")
            #expect(sharded.stderr.contains("--shard"), "\(command)")
        }
        // A folder no run wrote is a mistyped argument.
        let notAnOutput = try CurateBinary.run(["report", demo.path])
        #expect(notAnOutput.status == 2)
        #expect(notAnOutput.stderr.contains("holds no run.json"), "\(notAnOutput.stderr)")
        // A negative count crashed the table (signal 4).
        let negative = try CurateBinary.run(["stats", manifest, "--top=-3"])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--top takes a count of terms ≥ 0"), "\(negative.stderr)")
    }
}
