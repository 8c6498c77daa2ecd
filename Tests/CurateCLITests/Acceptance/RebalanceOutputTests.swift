import CurateTestSupport
import Foundation
import Testing

/// `rebalance` bounds every word trigger "so that it is no longer a trigger": what `apply` writes must show it in
/// `triggers.json`'s after, in `stats.json`, and to `curate stats` reading the cleaned manifest.
@Suite struct RebalanceOutputTests {
    /// Thirteen rows on one photograph (twelve "… painting" captions, some in full-width letters, and one "van gogh
    /// style photo"), seven other photographs saying "van gogh style photo" and 22 saying "other photo".
    static func dataset() throws -> URL {
        let folder = try Fixtures.temporaryFolder()
        let photos = Fixtures.photos
        var lines: [String] = []
        func row(_ key: String, _ photo: Int, _ caption: String) throws {
            let name = "p\(photo).jpg"
            let file = folder.appendingPathComponent(name)
            if !FileManager.default.fileExists(atPath: file.path) { try FileManager.default.copyItem(at: photos[photo], to: file) }
            let object: [String: String] = ["key": key, "image": name, "caption": caption]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self))
        }
        let spellings = ["Van Gogh painting", "ＶＡＮ ＧＯＧＨ painting", "van gogh painting"]
        for i in 0..<12 { try row("a\(i)", 0, spellings[i % 3]) }
        try row("p0", 0, "van gogh style photo")
        for i in 1..<8 { try row("p\(i)", i, "van gogh style photo") }
        for i in 8..<30 { try row("p\(i)", i, "other photo") }
        let manifest = folder.appendingPathComponent("rows.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: manifest)
        return manifest
    }

    @Test(
        "after apply, no word trigger is left over max_copies, in triggers.json, stats.json and the cleaned manifest",
        arguments: [
            "  - rebalance: {max_copies: 3, method: decouple}\n",
            "  - rewrite_captions: {scope: word_triggers, strategy: random_token, mode: insert, fraction: 0.5}\n"
                + "  - rebalance: {max_copies: 3, method: downsample}\n",
            "  - rewrite_captions: {scope: word_triggers, strategy: repeat_word, fraction: 0.5}\n"
                + "  - rewrite_captions: {scope: word_triggers, strategy: random_number, fraction: 0.5}\n"
                + "  - rebalance: {max_copies: 3, method: reweight}\n",
        ])
    func noTriggerLeft(actions: String) throws {
        let manifest = try Self.dataset()
        let folder = manifest.deletingLastPathComponent()
        let policy = folder.appendingPathComponent("policy.yaml")
        try Data(
            ("version: 1\nname: bound\nseed: 5\ntriggers:\n  word: {min_support: 10, min_copies: 5, min_share: 0.3, alpha: 0.05}\n"
                + "actions:\n" + actions).utf8
        ).write(to: policy)
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run(["apply", manifest.path, "--policy", policy.path, "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")

        let words = try Output.json(out.appendingPathComponent("triggers.json"))["word"] as? [[String: Any]] ?? []
        #expect(words.contains { $0["term"] as? String == "painting" } && words.contains { $0["term"] as? String == "van gogh" })
        for word in words {
            let after = word["after"] as? [String: Any]
            let copies = after?["n_top"] as? Double ?? .infinity
            #expect(copies <= 3 + 1e-9, "\(word["term"] ?? "?") keeps \(copies) copies in its top cluster")
        }
        let stats = try Output.json(out.appendingPathComponent("stats.json"))
        let after = stats["after"] as? [String: Any] ?? [:]
        #expect((after["triggers"] as? [String: Any])?["word"] as? Int == 0)
        if actions.contains("reweight") {
            // The report names the rule that set the weights and how many samples it reweighted.
            let reweighted = try #require(after["reweighted"] as? Int)
            #expect(reweighted > 0 && after["reweighted_by_rule"] as? [String: Int] == ["actions[2].rebalance": reweighted])
            let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
            #expect(html.contains(", \(reweighted) reweighted."))
            #expect(html.contains("<tr><th scope=\"row\">actions[2].rebalance</th>"))
        }

        // The cleaned list read again (weights included) has no trigger either.
        let again = try CurateBinary.run([
            "stats", out.appendingPathComponent("manifest.jsonl").path, "--policy", policy.path, "--json", "--quiet",
        ])
        #expect(again.status == 0, "\(again.stderr)")
        let reread = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((reread["triggers"] as? [String: Any])?["word"] as? Int == 0, "\(again.stdout)")
    }

    /// Applies `rebalance: reweight` to `manifest`; the output folder.
    static func reweight(_ manifest: URL) throws -> URL {
        let folder = manifest.deletingLastPathComponent()
        let policy = folder.appendingPathComponent("reweight.yaml")
        try Data(
            ("version: 1\nname: reweight\nseed: 5\ntriggers:\n  word: {min_support: 10, min_copies: 5, min_share: 0.3,"
                + " alpha: 0.05}\nactions:\n  - rebalance: {max_copies: 3, method: reweight}\n").utf8
        ).write(to: policy)
        let out = folder.appendingPathComponent("out-" + manifest.lastPathComponent)
        let result = try CurateBinary.run(["apply", manifest.path, "--policy", policy.path, "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        // Read again, rows without a weight weigh 1: the weighted counts still meet the bound.
        let manifestOut = try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasPrefix("manifest.") }
        let again = try CurateBinary.run([
            "stats", out.appendingPathComponent(try #require(manifestOut)).path, "--policy", policy.path, "--json",
            "--quiet",
        ])
        let reread = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((reread["triggers"] as? [String: Any])?["word"] as? Int == 0, "\(again.stdout) \(again.stderr)")
        return out
    }

    @Test("reweight gives only the reweighted JSONL rows a weight; every other row is its input line, byte for byte")
    func reweightLeavesOtherRowsUntouched() throws {
        let manifest = try Self.dataset()
        let out = try Self.reweight(manifest)
        let input = try Output.lines(manifest)
        let output = try Output.lines(out.appendingPathComponent("manifest.jsonl"))
        try #require(output.count == input.count)
        var reweighted = 0
        var changed: [String] = []
        for (before, after) in zip(input, output) {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(after.utf8)) as? [String: Any])
            if let weight = row["weight"] as? Double, weight < 1 {
                reweighted += 1
            } else if after != before {
                changed.append(after)
            }
        }
        #expect(changed.isEmpty, "rows not reweighted but rewritten: \(changed)")
        let stats = try Output.json(out.appendingPathComponent("stats.json"))
        #expect(reweighted > 0 && reweighted == (stats["after"] as? [String: Any])?["reweighted"] as? Int)
    }

    @Test("reweight keeps a CSV rectangular: a weight column on every row, 1 where the row was not reweighted")
    func reweightFillsTheCSVColumn() throws {
        let jsonl = try Self.dataset()
        let rows = try Output.jsonLines(jsonl)
        let csv = jsonl.deletingLastPathComponent().appendingPathComponent("rows.csv")
        let lines = ["key,image,caption"] + rows.map { "\($0["key"]!),\($0["image"]!),\($0["caption"]!)" }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: csv)
        let out = try Self.reweight(csv)
        let written = try Output.lines(out.appendingPathComponent("manifest.csv"))
        #expect(written.first == "key,image,caption,weight")
        let weights = written.dropFirst().map { $0.split(separator: ",").last.map(String.init) ?? "" }
        #expect(weights.count == rows.count)
        #expect(weights.contains("1") && weights.contains { Double($0).map { $0 < 1 } ?? false }, "\(weights)")
        #expect(weights.allSatisfy { Double($0) != nil }, "\(weights)")
    }
}
