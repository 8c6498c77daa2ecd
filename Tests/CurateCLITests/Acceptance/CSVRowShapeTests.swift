import CurateTestSupport
import Foundation
import Testing

/// No CSV/TSV row vanishes for its shape (DESIGN.md, "Bad input": kept + removed = input): rows are read as pandas
/// and Python's `csv` module read them, a row that is odd in a way that loses data is named with its file and line,
/// untouched rows come back byte for byte, and a `.csv` of semicolons or with a capitalised header reads as one.
@Suite struct CSVRowShapeTests {
    /// A policy that drops the word "photo" from every caption.
    func rewritePolicy(in folder: URL) throws -> String {
        let policy = folder.appendingPathComponent("drop-photo.yaml")
        try Data("version: 1\nactions:\n  - rewrite_captions: {scope: terms, terms: [photo], strategy: drop_term}\n".utf8)
            .write(to: policy)
        return policy.path
    }

    struct Applied {
        var result: CurateBinary.Result
        var out: URL
        func file(_ name: String) throws -> String {
            try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        }
        var samples: Int {
            let stats = (try? Output.json(out.appendingPathComponent("stats.json"))) ?? [:]
            return (stats["before"] as? [String: Any])?["samples"] as? Int ?? -1
        }
        func problems() throws -> [[String: Any]] { try Output.jsonLines(out.appendingPathComponent("problems.jsonl")) }
    }

    func apply(_ inputs: [URL], policy: String, name: String) throws -> Applied {
        let folder = inputs[0].deletingLastPathComponent()
        let out = folder.appendingPathComponent("out-\(name)")
        let result = try CurateBinary.run(
            ["apply"] + inputs.map(\.path) + [
                "--policy", policy, "--out", out.path, "-q", "--index",
                folder.appendingPathComponent("index.sqlite").path,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        return Applied(result: result, out: out)
    }

    /// Short (trailing cells trimmed), long (cells past the header), a stray quote after a closing one, and quotes
    /// inside an unquoted cell.
    static let ragged =
        "key,image,caption,extra\r\n" + "a,p0.jpg,a photo,x\r\n" + "short,p1.jpg\r\n"
        + "long,p0.jpg,a long photo,x,EXTRA,MORE\r\n" + "stray,p1.jpg,\"ok\"trailing,y\r\n"
        + "inner,p1.jpg,a \"quoted\" word,z\r\n"

    @Test("short, long and oddly quoted rows are all kept, written back byte for byte; only the long one is a problem")
    func raggedRowsPassThrough() throws {
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", Self.ragged)
        let run = try apply([manifest], policy: Fixtures.policy("audit-only.yaml"), name: "audit-only")
        #expect(run.samples == 5)
        #expect(try Data(contentsOf: run.out.appendingPathComponent("manifest.csv")) == Data(Self.ragged.utf8))
        #expect(try run.file("removed.jsonl").isEmpty)
        let problems = try run.problems()
        #expect(problems.map { $0["kind"] as? String } == ["malformed_line"], "\(problems)")
        #expect(problems.first?["line"] as? Int == 4)
        #expect(problems.first?["key"] as? String == "long")
    }

    @Test("a rewritten long row keeps its cells past the header; a removed one lists them as extra_cells")
    func extraCellsSurviveRewriteAndRemoval() throws {
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", Self.ragged)
        let folder = manifest.deletingLastPathComponent()
        let rewritten = try apply([manifest], policy: try rewritePolicy(in: folder), name: "rewrite")
        let changes = try Output.jsonLines(rewritten.out.appendingPathComponent("changes.jsonl"))
        let after = Dictionary(uniqueKeysWithValues: changes.map { ($0["key"] as? String ?? "", $0["after"] as? String ?? "") })
        #expect(Set(after.keys) == ["a", "long"])
        #expect(
            try rewritten.file("manifest.csv")
                == "key,image,caption,extra\r\n" + "a,p0.jpg,\(after["a"] ?? "?"),x\r\n" + "short,p1.jpg\r\n"
                + "long,p0.jpg,\(after["long"] ?? "?"),x,EXTRA,MORE\r\n" + "stray,p1.jpg,\"ok\"trailing,y\r\n"
                + "inner,p1.jpg,a \"quoted\" word,z\r\n")

        // Removed, the long row keeps every cell in removed.jsonl, those past the header as extra_cells.
        let policy = folder.appendingPathComponent("remove-long.yaml")
        try Data("version: 1\nactions:\n  - remove: {term: long}\n".utf8).write(to: policy)
        let removedRun = try apply([manifest], policy: policy.path, name: "remove")
        let removed = try Output.jsonLines(removedRun.out.appendingPathComponent("removed.jsonl"))
        #expect(removed.map { $0["key"] as? String } == ["long"])
        #expect(removed.first?["extra"] as? String == "x")
        #expect(removed.first?["extra_cells"] as? [String] == ["EXTRA", "MORE"])
        #expect(
            try removedRun.file("manifest.csv")
                == Self.ragged.replacingOccurrences(of: "long,p0.jpg,a long photo,x,EXTRA,MORE\r\n", with: ""))
    }

    @Test("a quote never closed ends with its line: the rows after it are samples, the row is named by file and line")
    func unterminatedQuoteRecovers() throws {
        let text = "key,image,caption\n" + "q0,p0.jpg,\"never closed\n" + "q1,p1.jpg,fine\n" + "q2,p0.jpg,last\n"
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", text)
        let out = manifest.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CurateBinary.run([
            "apply", manifest.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "--index",
            manifest.deletingLastPathComponent().appendingPathComponent("index.sqlite").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("m.csv:2") && result.stderr.contains("never closed"), "\(result.stderr)")
        // The repaired row is written as it was read, so a reader of the cleaned file keeps the rows after it too.
        #expect(
            try String(contentsOf: out.appendingPathComponent("manifest.csv"), encoding: .utf8)
                == "key,image,caption\n" + "q0,p0.jpg,never closed\n" + "q1,p1.jpg,fine\n" + "q2,p0.jpg,last\n")
        let problems = try Output.jsonLines(out.appendingPathComponent("problems.jsonl"))
        #expect(problems.count == 1)
        #expect(problems.first?["line"] as? Int == 2 && problems.first?["kind"] as? String == "malformed_line")
    }

    @Test("a .csv of semicolons reads as its columns, comes back byte for byte, and rewritten rows keep semicolons")
    func semicolonCSV() throws {
        let text = "key;image;caption\n" + "a;p0.jpg;\"a red photo; a dog\"\n" + "b;p1.jpg;another, with a comma\n"
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", text)
        let untouched = try apply([manifest], policy: Fixtures.policy("audit-only.yaml"), name: "audit-only")
        #expect(try untouched.problems().isEmpty)
        #expect(try untouched.file("manifest.csv") == text)

        let rewritten = try apply(
            [manifest], policy: try rewritePolicy(in: manifest.deletingLastPathComponent()), name: "rewrite")
        let change = try #require(try Output.jsonLines(rewritten.out.appendingPathComponent("changes.jsonl")).first)
        let after = try #require(change["after"] as? String)
        #expect(!after.contains("photo") && after.contains(";"))
        #expect(
            try rewritten.file("manifest.csv")
                == "key;image;caption\n" + "a;p0.jpg;\"\(after)\"\n" + "b;p1.jpg;another, with a comma\n")
    }

    @Test("rows of a semicolon .csv beside a comma one are written with commas, cell by cell")
    func mixedDelimiters() throws {
        let comma = try Fixtures.manifestBesidePhotos("a.csv", "key,image,caption\na,p0.jpg,first\n")
        let semicolons = comma.deletingLastPathComponent().appendingPathComponent("b.csv")
        try Data("key;image;caption\nb;p1.jpg;\"second, with a comma\"\n".utf8).write(to: semicolons)
        let run = try apply([comma, semicolons], policy: Fixtures.policy("audit-only.yaml"), name: "mixed")
        #expect(try run.file("manifest.csv") == "key,image,caption\na,p0.jpg,first\nb,p1.jpg,\"second, with a comma\"\n")
    }

    @Test("a capitalised header (Key,Image,Caption) is read, and a rewrite goes to its Caption column")
    func capitalisedHeader() throws {
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", "Key,Image,Caption\na,p0.jpg,a red photo\nb,p1.jpg,another\n")
        let run = try apply(
            [manifest], policy: try rewritePolicy(in: manifest.deletingLastPathComponent()), name: "rewrite")
        let problems = try run.problems()
        #expect(problems.isEmpty, "\(problems)")
        #expect(try run.file("manifest.csv") == "Key,Image,Caption\na,p0.jpg,a red\nb,p1.jpg,another\n")
        let change = try #require(try Output.jsonLines(run.out.appendingPathComponent("changes.jsonl")).first)
        #expect(change["key"] as? String == "a")
    }
}
