import CurateTestSupport
import Detect
import Foundation
import Testing

/// What a data engineer reads after a run on a dataset curate has never seen: every input problem with its
/// place, and a `run.json` that names every file the results depend on.
@Suite(.serialized) struct AcceptanceOutputTests {
    @Test("run.json digests the embeddings and objects files too, since the clusters and triggers depend on them")
    func runInfoDigestsEverySideInput() throws {
        let demo = try Fixtures.demoCopy()
        let out = demo.deletingLastPathComponent().appendingPathComponent("audit")
        let embeddings = demo.appendingPathComponent("embeddings.npy").path
        let objects = demo.appendingPathComponent("objects.jsonl").path
        let result = try CurateBinary.run([
            "audit", demo.appendingPathComponent("manifest.jsonl").path, "--embeddings", embeddings,
            "--objects", objects, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let run = try Output.json(out.appendingPathComponent("run.json"))
        // `inputs` stays the dataset (`curate report` reads it again); the side files are listed by role.
        #expect((run["inputs"] as? [[String: Any]])?.count == 1)
        let sides = run["side_inputs"] as? [[String: Any]] ?? []
        #expect(sides.compactMap { $0["role"] as? String } == ["embeddings", "objects"])
        for path in [embeddings, objects] {
            let entry = try #require(sides.first { $0["path"] as? String == path }, "\(path) in \(sides)")
            // XXH3-128 of the file's bytes (the same hash as the index's content hashes).
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(entry["digest"] as? String == "xxh3-128:\(ContentHash(of: bytes))")
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(entry["bytes"] as? Int == size)
        }
    }

    @Test("every input problem is listed with file, line, key and kind in problems.jsonl, not only the first ten")
    func everyProblemIsListed() throws {
        let folder = try Fixtures.temporaryFolder()
        try FileManager.default.copyItem(at: Fixtures.photos[0], to: folder.appendingPathComponent("a.jpg"))
        var lines = [#"{"key": "good", "image": "a.jpg", "caption": "a photo"}"#]
        for index in 0..<14 { lines.append(#"{"key": "gone\#(index)", "image": "gone\#(index).jpg", "caption": "x"}"#) }
        let manifest = folder.appendingPathComponent("rows.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: manifest)
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run([
            "audit", manifest.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("problems.jsonl"), "the summary says where the full list is")

        let problems = try Output.jsonLines(out.appendingPathComponent("problems.jsonl"))
        #expect(problems.count == 14)
        #expect(problems.map { $0["key"] as? String } == (0..<14).map { "gone\($0)" })
        #expect(problems.map { $0["line"] as? Int } == Array(2...15))
        #expect(problems.allSatisfy { $0["file"] as? String == manifest.path && $0["kind"] as? String == "missing_image" })
        #expect(problems.allSatisfy { ($0["message"] as? String)?.isEmpty == false })
        let errors = (try Output.json(out.appendingPathComponent("stats.json"))["before"] as? [String: Any])?["errors"]
        #expect((errors as? [String: Int]) == ["missing_image": 14])

        // scan writes no folder, so it must not send the user to a stats.json that does not exist.
        let scan = try CurateBinary.run(["scan", manifest.path])
        #expect(scan.status == 0)
        #expect(!scan.stderr.contains("stats.json") && scan.stderr.contains("problems.jsonl"), "\(scan.stderr)")
    }

    @Test("curate report rebuilds the same page for a run that named its fields with --image-field/--caption-field")
    func reportRebuildKeepsFieldOverrides() throws {
        let folder = try Fixtures.temporaryFolder()
        var lines: [String] = []
        for (index, photo) in Fixtures.photos.prefix(3).enumerated() {
            try FileManager.default.copyItem(at: photo, to: folder.appendingPathComponent("p\(index).jpg"))
            // Two rows per photo: each photo is an exact-duplicate cluster, so the report shows thumbnails.
            for copy in 0..<2 {
                lines.append(#"{"id": "k\#(index)-\#(copy)", "picture": "p\#(index).jpg", "words": "photo \#(index)"}"#)
            }
        }
        let manifest = folder.appendingPathComponent("rows.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: manifest)
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run([
            "audit", manifest.path, "--image-field", "picture", "--caption-field", "words",
            "--policy", Fixtures.policy("dedupe.yaml"), "--out", out.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = out.appendingPathComponent("report.html")
        let original = try Data(contentsOf: report)
        #expect(String(decoding: original, as: UTF8.self).contains("data:image/jpeg;base64,"))
        try FileManager.default.removeItem(at: report)
        let rebuilt = try CurateBinary.run(["report", out.path, "--quiet"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try Data(contentsOf: report) == original)
    }

    @Test("a NaN or all-zero embedding row is named by row and key in plain words")
    func invalidEmbeddingRowsReadPlainly() throws {
        let demo = try Fixtures.demoCopy()
        let source = try Data(contentsOf: demo.appendingPathComponent("embeddings.npy"))
        // The .npy header length is in bytes 8-9; rows are float16 or float32 after it.
        let headerEnd = 10 + Int(source[8]) + Int(source[9]) * 256
        let header = String(decoding: source[10..<headerEnd], as: UTF8.self)
        let width = header.contains("<f2") ? 2 : 4
        var bytes = source
        let columns = Int(header.split(separator: "(")[1].split(separator: ",")[1].trimmingCharacters(in: .whitespaces).prefix { $0.isNumber })!
        for column in 0..<columns { // row 1: NaN in every element; row 2: zeros
            let nan: [UInt8] = width == 2 ? [0x00, 0x7E] : [0x00, 0x00, 0xC0, 0x7F]
            bytes.replaceSubrange((headerEnd + (columns + column) * width)..<(headerEnd + (columns + column + 1) * width), with: nan)
            bytes.replaceSubrange(
                (headerEnd + (2 * columns + column) * width)..<(headerEnd + (2 * columns + column + 1) * width),
                with: [UInt8](repeating: 0, count: width))
        }
        let embeddings = demo.appendingPathComponent("bad.npy")
        try bytes.write(to: embeddings)
        let out = demo.deletingLastPathComponent().appendingPathComponent("audit")
        let result = try CurateBinary.run([
            "audit", demo.appendingPathComponent("manifest.jsonl").path, "--embeddings", embeddings.path,
            "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let messages = try Output.jsonLines(out.appendingPathComponent("problems.jsonl"))
            .filter { $0["kind"] as? String == "invalid_embedding" }.compactMap { $0["message"] as? String }
        #expect(messages.count == 2)
        #expect(messages.first?.hasPrefix("row 1 holds NaN or infinity") == true, "\(messages)")
        #expect(messages.last?.hasPrefix("row 2 is all zeros") == true, "\(messages)")
    }

    @Test("the report of a webdataset audit shows the clustered images, read from the shard")
    func webdatasetReportHasThumbnails() throws {
        let folder = try Fixtures.temporaryFolder()
        let shard = folder.appendingPathComponent("shard-000.tar")
        try FileManager.default.copyItem(at: Fixtures.url("acceptance/pair.tar"), to: shard)
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run([
            "audit", shard.path, "--policy", Fixtures.policy("dedupe.yaml"), "--out", out.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("data:image/jpeg;base64,"), "the cluster gallery has thumbnails")
        #expect(!html.contains("class=\"no-thumb\""), "no sample of the gallery lacks its image")
        // curate report reads the same images from the shard again.
        try FileManager.default.removeItem(at: out.appendingPathComponent("report.html"))
        let rebuilt = try CurateBinary.run(["report", out.path, "--quiet"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8) == html)
    }
}
