import CurateTestSupport
import Detect
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Bad input through the real binary (DESIGN.md, "Bad input"): every case exits 0, is named on stderr with its
/// file and line (or member), is counted by kind, loses no sample, and reads nothing outside the input folder.
@Suite(.serialized) struct HostileInputTests {
    /// One expected problem: the kind, and what its stderr line must name.
    struct Expected {
        var kind: String
        var place: String
    }

    /// A run of `apply` with the dedupe policy (it removes unreadable images, so both kept and removed are
    /// exercised) plus the facts every hostile run must satisfy.
    struct HostileRun {
        var result: CurateBinary.Result
        var stats: [String: Any]
        /// The key of each row of the cleaned manifest ("" for a row without a key field).
        var kept: [String]
        /// The key of each line of removed.jsonl.
        var removed: [String]
        var errors: [String: Int] { (stats["before"] as? [String: Any])?["errors"] as? [String: Int] ?? [:] }
        var samples: Int { (stats["before"] as? [String: Any])?["samples"] as? Int ?? -1 }
    }

    let folder: URL
    let index: URL

    init() throws {
        folder = try ReliabilityFiles.hostileCopy()
        index = folder.deletingLastPathComponent().appendingPathComponent("index.sqlite")
    }

    func apply(_ inputs: [String], extra: [String] = [], name: String) throws -> HostileRun {
        let out = folder.deletingLastPathComponent().appendingPathComponent("out-\(name)")
        let result = try CurateBinary.run(
            ["apply"] + inputs.map { folder.appendingPathComponent($0).path }
                + ["--index", index.path, "--policy", Fixtures.policy("dedupe.yaml"), "--out", out.path] + extra)
        let stats = (try? Output.json(out.appendingPathComponent("stats.json"))) ?? [:]
        return HostileRun(
            result: result, stats: stats, kept: try ReliabilityFiles.keptRows(in: out),
            removed: try ReliabilityFiles.keys(ofJSONLines: out.appendingPathComponent("removed.jsonl")))
    }

    func scan(_ input: String) throws -> (CurateBinary.Result, [String: Any]) {
        let result = try CurateBinary.run(["scan", folder.appendingPathComponent(input).path, "--index", index.path, "--json"])
        let summary = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        return (result, summary)
    }

    /// Exit 0; each expected problem on its own stderr line with its place and kind; counts by kind exactly
    /// `counts`; every sample in the kept manifest or removed.jsonl, once.
    func check(_ run: HostileRun, _ expected: [Expected], counts: [String: Int], samples: Int,
               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.result.status == 0, "\(run.result.stderr)", sourceLocation: sourceLocation)
        let lines = run.result.stderr.split(separator: "\n").map(String.init)
        for problem in expected {
            #expect(
                lines.contains { $0.contains(problem.place) && $0.contains(problem.kind) },
                "no stderr line names \(problem.place) with \(problem.kind):\n\(run.result.stderr)",
                sourceLocation: sourceLocation)
        }
        #expect(run.errors == counts, "stats.json errors", sourceLocation: sourceLocation)
        #expect(run.samples == samples, sourceLocation: sourceLocation)
        #expect(run.kept.count + run.removed.count == samples, "kept + removed = input", sourceLocation: sourceLocation)
        #expect(!run.result.stderr.contains("\u{1B}"), "no raw terminal escapes on stderr", sourceLocation: sourceLocation)
        #expect(!run.result.stderr.contains("\u{202E}"), "no raw right-to-left override on stderr", sourceLocation: sourceLocation)
    }

    /// The image outside the input folders was never read: its content hash is not in the index.
    func expectSecretUnread(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let secret = ContentHash(of: try Data(contentsOf: folder.appendingPathComponent("outside/secret.jpg")))
        #expect(try FeatureIndex(path: index.path).lookup([secret]).isEmpty, sourceLocation: sourceLocation)
    }

    @Test("corrupt, truncated, empty, mislabeled, non-image, bomb, missing and remote images")
    func badImages() throws {
        let file = "images.jsonl"
        let (scanned, summary) = try scan("jsonl/\(file)")
        #expect(scanned.status == 0, "\(scanned.stderr)")
        #expect(summary["samples"] as? Int == 9)
        let expected: [String: Int] = [
            "truncated_image": 1, "empty_image": 1, "unsupported_format": 1, "oversized_image": 1,
            "missing_image": 1, "remote_image": 1, "corrupt_image": 1,
        ]
        #expect(summary["error_kinds"] as? [String: Int] == expected, "\(summary)")
        #expect(summary["images_decoded"] as? Int ?? 0 >= 2, "good-0 and the PNG saved as .jpg decode")

        let run = try apply(["jsonl/\(file)"], name: "images")
        check(run, [
            Expected(kind: "corrupt_image", place: "\(file):2"), Expected(kind: "truncated_image", place: "\(file):3"),
            Expected(kind: "empty_image", place: "\(file):4"), Expected(kind: "unsupported_format", place: "\(file):6"),
            Expected(kind: "oversized_image", place: "\(file):7"), Expected(kind: "missing_image", place: "\(file):8"),
            Expected(kind: "remote_image", place: "\(file):9"),
        ], counts: expected, samples: 9)
        #expect(run.kept.contains("mislabeled"), "a PNG named .jpg is read by its magic bytes")
        #expect(Set(run.removed) == ["corrupt", "truncated", "empty", "not-an-image", "bomb", "missing", "remote"])
    }

    @Test("../ paths, absolute paths and symlinks out of the folder, 100k-deep JSON, a 10 MB caption, escapes in keys")
    func pathsAndHugeLines() throws {
        let file = "paths.jsonl"
        let manifest = folder.appendingPathComponent("jsonl/\(file)")
        var extra = Data()
        extra += Data(#"{"key": "deep", "image": "images/good-0.jpg", "meta": "#.utf8)
        extra += Data(repeating: UInt8(ascii: "["), count: 100_000) + Data(repeating: UInt8(ascii: "]"), count: 100_000)
        extra += Data("}\n".utf8)
        extra += Self.captionLine(key: "long-caption", bytes: 1 << 20)
        let handle = try FileHandle(forWritingTo: manifest)
        try handle.seekToEnd()
        try handle.write(contentsOf: extra)
        try handle.close()

        let run = try apply(["jsonl/\(file)"], name: "paths")
        check(run, [
            Expected(kind: "path_escape", place: "\(file):2"), Expected(kind: "path_escape", place: "\(file):3"),
            Expected(kind: "path_escape", place: "\(file):4"), Expected(kind: "missing_image", place: "\(file):5"),
            Expected(kind: "malformed_line", place: "\(file):6"),
        ], counts: ["path_escape": 3, "missing_image": 1, "malformed_line": 1], samples: 6)
        #expect(run.result.stderr.contains("nested deeper"))
        #expect(run.result.stderr.contains("rtl-key\\u{202E}\\u{1B}[2J"), "the key is shown, its controls as escapes")
        #expect(run.kept.contains("long-caption"), "a 1 MB caption is data, not an error")
        try expectSecretUnread()

        // 10 MB: read, decoded and cached like any sample. (Only `scan`: tokenizing 10 MB takes seconds in a debug
        // build; the 1 MB caption above takes the same path through analysis and writing.)
        let huge = folder.appendingPathComponent("jsonl/huge-caption.jsonl")
        try Self.captionLine(key: "huge-caption", bytes: 10 << 20).write(to: huge)
        let (scanned, summary) = try scan("jsonl/huge-caption.jsonl")
        #expect(scanned.status == 0, "\(scanned.stderr)")
        #expect(summary["samples"] as? Int == 1)
        #expect(summary["errors"] as? Int == 0)
    }

    /// One JSONL line whose caption is `bytes` long.
    static func captionLine(key: String, bytes: Int) -> Data {
        var line = Data(#"{"key": "\#(key)", "image": "images/good-3.jpg", "caption": ""#.utf8)
        line += Data(String(repeating: "lorem ipsum ", count: bytes / 12).utf8)
        line += Data("\"}\n".utf8)
        return line
    }

    @Test("invalid UTF-8, duplicate keys and members, missing fields, cut-off and non-object lines")
    func badLines() throws {
        let file = "lines.jsonl"
        let run = try apply(["jsonl/\(file)"], name: "lines")
        check(run, [
            Expected(kind: "invalid_utf8", place: "\(file):2"), Expected(kind: "duplicate_key", place: "\(file):4"),
            Expected(kind: "missing_field", place: "\(file):7"), Expected(kind: "malformed_line", place: "\(file):8"),
            Expected(kind: "malformed_line", place: "\(file):9"), Expected(kind: "malformed_line", place: "\(file):10"),
            Expected(kind: "malformed_line", place: "\(file):11"),
        ], counts: ["invalid_utf8": 1, "duplicate_key": 1, "missing_field": 1, "malformed_line": 4], samples: 7)
        #expect(run.kept.filter { $0 == "dup" }.count + run.removed.filter { $0 == "dup" }.count == 2, "both dups kept")
    }

    @Test("a NaN row in a folder of embedding shards is named by its shard and its row there")
    func badRowInShardFolder() throws {
        let shards = folder.appendingPathComponent("jsonl/emb-shards")
        try FileManager.default.createDirectory(at: shards, withIntermediateDirectories: true)
        try ReliabilityFiles.writeNPY(rows: 4, dimension: 8, to: shards.appendingPathComponent("img_emb_0.npy")) { row, column in
            Float((row * 7 + column) % 5) + 0.5
        }
        try ReliabilityFiles.writeNPY(rows: 2, dimension: 8, to: shards.appendingPathComponent("img_emb_1.npy")) { row, column in
            row == 1 && column == 2 ? .nan : Float((row * 3 + column) % 5) + 0.5
        }
        let run = try apply(["jsonl/good.jsonl"], extra: ["--embeddings", shards.path], name: "nan-shard")
        check(run, [Expected(kind: "invalid_embedding", place: "img_emb_1.npy:2")], counts: ["invalid_embedding": 1], samples: 6)
        #expect(run.result.stderr.contains("row 1 of this shard (sample 5) holds NaN"), "\(run.result.stderr)")
    }

    @Test("concepts that do not fit the image embeddings turn zero-shot objects off with an embedding_mismatch")
    func conceptsOfAnotherWidth() throws {
        let embeddings = folder.appendingPathComponent("jsonl/fine.npy")
        try ReliabilityFiles.writeNPY(rows: 6, dimension: 8, to: embeddings) { row, column in Float((row + column) % 3) + 0.5 }
        let concepts = folder.appendingPathComponent("jsonl/concepts-4d.npy")
        try ReliabilityFiles.writeNPY(rows: 2, dimension: 4, to: concepts) { row, column in Float(row + column) + 1 }
        let labels = folder.appendingPathComponent("jsonl/concept-labels.txt")
        try "flag\ndog\n".write(to: labels, atomically: true, encoding: .utf8)
        let run = try apply(
            ["jsonl/good.jsonl"], extra: ["--embeddings", embeddings.path, "--concepts", concepts.path, "--concept-labels", labels.path],
            name: "concepts-4d")
        check(run, [Expected(kind: "embedding_mismatch", place: "concepts-4d.npy")], counts: ["embedding_mismatch": 1], samples: 6)
        #expect(run.result.stderr.contains("zero-shot objects are off"), "\(run.result.stderr)")
    }

    @Test("NaN embeddings, malformed object lines")
    func badEmbeddingsAndObjects() throws {
        let npy = folder.appendingPathComponent("jsonl/nan.npy")
        try ReliabilityFiles.writeNPY(rows: 6, dimension: 8, to: npy) { row, column in
            row == 2 && column == 3 ? .nan : Float((row * 7 + column) % 5) + 0.5
        }
        let run = try apply(
            ["jsonl/good.jsonl"], extra: ["--embeddings", npy.path, "--objects", folder.appendingPathComponent("jsonl/objects.jsonl").path],
            name: "nan")
        check(run, [
            Expected(kind: "invalid_embedding", place: "nan.npy"),
            Expected(kind: "malformed_objects", place: "objects.jsonl:3"),
            Expected(kind: "malformed_objects", place: "objects.jsonl:4"),
            Expected(kind: "malformed_objects", place: "objects.jsonl:5"),
            Expected(kind: "malformed_objects", place: "objects.jsonl:6"),
            Expected(kind: "unknown_object_key", place: "objects.jsonl:7"),
        ], counts: ["invalid_embedding": 1, "malformed_objects": 5, "unknown_object_key": 1], samples: 6)
        #expect(run.result.stderr.contains("row 2"))
        // Control characters and bidi overrides in a caption are data: the cleaned manifest keeps them as they were.
        let out = folder.deletingLastPathComponent().appendingPathComponent("out-nan/manifest.jsonl")
        let controls = try Output.jsonLines(out).first { $0["key"] as? String == "controls" }
        #expect(controls?["caption"] as? String == "bell\u{07} escape\u{1B}[31mred\u{1B}[0m nul-ish\u{01} rtl \u{202E}evil\u{202C} end")
    }

    @Test("an embedding count that does not match, and a .npy header claiming 2^31 rows")
    func embeddingCounts() throws {
        let npy = folder.appendingPathComponent("jsonl/nine.npy")
        try ReliabilityFiles.writeNPY(rows: 9, dimension: 4, to: npy) { row, column in Float(row + column + 1) }
        let mismatch = try apply(["jsonl/good.jsonl"], extra: ["--embeddings", npy.path], name: "mismatch")
        check(mismatch, [Expected(kind: "embedding_mismatch", place: "nine.npy")],
              counts: ["embedding_mismatch": 1], samples: 6)

        let huge = try apply(
            ["jsonl/good.jsonl"], extra: ["--embeddings", folder.appendingPathComponent("jsonl/huge-claim.npy").path],
            name: "huge")
        check(huge, [Expected(kind: "embedding_mismatch", place: "huge-claim.npy")],
              counts: ["embedding_mismatch": 1], samples: 6)
    }

    @Test("a tar with ../, absolute, symlink and 8 GiB-declared members")
    func tarBomb() throws {
        let file = "hostile-000.tar"
        let (scanned, summary) = try scan("tar/\(file)")
        #expect(scanned.status == 0, "\(scanned.stderr)")
        let run = try apply(["tar/\(file)"], name: "tar")
        let kinds = summary["error_kinds"] as? [String: Int] ?? [:]
        #expect(run.errors == kinds, "scan and apply count the same problems")
        check(run, [
            Expected(kind: "unsafe_member", place: "[../t-escape.jpg]"),
            Expected(kind: "unsafe_member", place: "[/etc/t-absolute.jpg]"),
            Expected(kind: "unsafe_member", place: "[t-link.jpg]"),
            Expected(kind: "invalid_utf8", place: "[t-bad.txt]"),
            Expected(kind: "oversized_image", place: "[t-bomb.jpg]"),
            Expected(kind: "unreadable_file", place: "[t-bomb.jpg]"),
            Expected(kind: "orphan_member", place: "[t-link.txt]"),
        ], counts: [
            "unsafe_member": 5, "orphan_member": 1, "invalid_utf8": 1, "oversized_image": 1, "unreadable_file": 1,
            "truncated_image": 1, "missing_field": 1,
        ], samples: 5)
        for key in ["t-good-0", "t-good-1", "t-good-2"] { #expect(run.kept.contains(key), "\(key)") }
        // Stderr names ten problems; problems.jsonl lists all eleven, with the last two: t-bomb has no caption
        // member, and t-bad's image (found when decoding) is truncated.
        let listed = try Output.jsonLines(
            folder.deletingLastPathComponent().appendingPathComponent("out-tar/problems.jsonl"))
        #expect(listed.count == 11)
        #expect(listed.contains { $0["kind"] as? String == "missing_field" && $0["key"] as? String == "t-bomb" })
        #expect(listed.contains { $0["kind"] as? String == "truncated_image" && $0["member"] as? String == "t-bad.jpg" })
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("t-escape.jpg").path))
    }

    @Test("CSV with ragged rows, invalid UTF-8, a path escape and an unterminated quote")
    func badCSV() throws {
        let file = "manifest.csv"
        let run = try apply(["csv/\(file)"], name: "csv")
        // Every row is a sample: the short one has an empty caption (no problem: pandas reads it so), the long one
        // keeps its extra cells (a problem), and the quote opened on line 8 ends with that line, so line 9 is a row.
        check(run, [
            Expected(kind: "malformed_line", place: "\(file):4"), Expected(kind: "invalid_utf8", place: "\(file):5"),
            Expected(kind: "path_escape", place: "\(file):7"), Expected(kind: "malformed_line", place: "\(file):8"),
        ], counts: ["malformed_line": 2, "invalid_utf8": 1, "path_escape": 1], samples: 8)
        #expect(run.result.stderr.contains("never closed"))
        #expect(run.kept.contains("c-good-0") && run.kept.contains("c-quoted"))
        #expect(Set(run.kept + run.removed) == [
            "c-good-0", "c-ragged-short", "c-ragged-long", "c-bad-utf8", "c-quoted", "c-escape", "c-unterminated",
            "c-after",
        ])
        try expectSecretUnread()
    }

    @Test("an image file over 64 MiB (sparse, so the test stays small) is refused from its size, never read")
    func oversizedImageFile() throws {
        let input = folder.appendingPathComponent("big")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let image = input.appendingPathComponent("huge.jpg")
        try Data(contentsOf: folder.appendingPathComponent("jsonl/images/good-0.jpg")).write(to: image)
        let handle = try FileHandle(forWritingTo: image)
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
        try Data("a huge file".utf8).write(to: input.appendingPathComponent("huge.txt"))
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("jsonl/images/good-1.jpg"), to: input.appendingPathComponent("ok.jpg"))
        try Data("an ordinary image".utf8).write(to: input.appendingPathComponent("ok.txt"))

        let (scanned, summary) = try scan("big")
        #expect(scanned.status == 0, "\(scanned.stderr)")
        #expect(summary["error_kinds"] as? [String: Int] == ["oversized_image": 1])
        #expect(summary["images_decoded"] as? Int == 1)
        #expect(scanned.stderr.contains("huge.jpg") && scanned.stderr.contains("oversized_image"))
        let run = try apply(["big"], name: "big")
        check(run, [Expected(kind: "oversized_image", place: "huge.jpg")], counts: ["oversized_image": 1], samples: 2)
    }

    @Test("an image folder with a symlink out of it, a named pipe, an empty image and an invalid UTF-8 caption")
    func badFolder() throws {
        // A FIFO named like an image: opening it for reading would block forever.
        let pipe = folder.appendingPathComponent("folder/f-pipe.jpg").path
        #expect(mkfifo(pipe, 0o644) == 0)
        try Data("a named pipe".utf8).write(to: folder.appendingPathComponent("folder/f-pipe.txt"))
        let run = try apply(["folder"], name: "folder")
        check(run, [
            Expected(kind: "path_escape", place: "f-link.jpg"), Expected(kind: "empty_image", place: "f-empty"),
            Expected(kind: "invalid_utf8", place: "f-b.txt"), Expected(kind: "missing_image", place: "f-pipe.jpg"),
        ], counts: ["path_escape": 1, "empty_image": 1, "invalid_utf8": 1, "missing_image": 1], samples: 5)
        try expectSecretUnread()
    }
}
