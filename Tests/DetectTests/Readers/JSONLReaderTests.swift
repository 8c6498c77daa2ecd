import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct JSONLReaderTests {
    @Test("reads aliases, keeps extra fields byte-for-byte and numbers missing keys by line")
    func readsBasicManifest() throws {
        let path = readerFixture("manifests/basic.jsonl")
        let outcome = try readAll(try JSONLReader(path: path))
        #expect(outcome.problems.isEmpty)
        #expect(outcome.samples.map(\.key) == ["cat", "7", "4", "12345678901234567890"])
        #expect(outcome.samples.map(\.ordinal) == [0, 1, 2, 3])
        #expect(outcome.samples.map(\.origin.line) == [1, 2, 4, 6])

        let cat = try #require(outcome.sample("cat"))
        #expect(cat.image == "images/cat.jpg")
        #expect(cat.caption == "a cat on a sofa")
        #expect(cat.record.encoding == .json)
        #expect(cat.record.fields.map(\.name) == ["key", "image", "caption", "score", "meta", "note", "big"])
        #expect(cat.record["score"] == "1.50")
        #expect(cat.record["meta"] == #"{"tags": ["cat", "sofa"], "size": [64, 42], "exif": null, "ok": true}"#)
        #expect(cat.record["note"] == #""caf\u00e9 \ud83d\ude00 \"q\"""#)
        #expect(cat.record["big"] == "-0.5e+10")
        #expect(cat.record["key"] == #""cat""#)
        #expect(cat.origin.file == path)

        let astronaut = try #require(outcome.sample("7"))
        #expect(astronaut.image == "images/astronaut.jpg")
        #expect(astronaut.caption == #"an astronaut "in space""#)

        let coffee = try #require(outcome.sample("4"))
        #expect(coffee.caption == "coffee \u{1F600} cup\nwith milk")
        #expect(coffee.image == "images/coffee.png")

        let rocket = try #require(outcome.sample("12345678901234567890"))
        #expect(rocket.caption == "a rocket")

        // Every image resolved to the real file inside the manifest's folder, and it is a real image.
        for (sample, source) in zip(outcome.samples, outcome.sources) {
            let url = try #require(source.fileURL, "\(sample.key)")
            #expect(url.path.hasSuffix(try #require(sample.image)))
            #expect(FileManager.default.fileExists(atPath: url.path))
        }
        let decoded = try ImageDecoder.decode(try Data(contentsOf: try #require(outcome.sources[0].fileURL)))
        #expect(decoded.width == 64)
    }

    @Test("an lz4-compressed manifest reads the same as the plain one")
    func readsLZ4() throws {
        let plain = try readAll(try JSONLReader(path: readerFixture("manifests/basic.jsonl")))
        let compressed = try readAll(try JSONLReader(path: readerFixture("manifests/basic.jsonl.lz4")))
        #expect(compressed.problems.isEmpty)
        #expect(compressed.samples.map(\.key) == plain.samples.map(\.key))
        #expect(compressed.samples.map(\.record) == plain.samples.map(\.record))
        #expect(compressed.sources == plain.sources)
    }

    @Test("a corrupt or truncated lz4 file is a problem naming the file, not a crash")
    func rejectsCorruptLZ4() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try Data(contentsOf: Fixtures.url("readers/manifests/basic.jsonl.lz4"))
        let truncated = folder.appendingPathComponent("cut.jsonl.lz4")
        try good.prefix(good.count - 9).write(to: truncated)
        let notLZ4 = folder.appendingPathComponent("plain.jsonl.lz4")
        try Data("{\"key\": 1}\n".utf8).write(to: notLZ4)
        for url in [truncated, notLZ4] {
            let outcome = try readAll(try JSONLReader(path: url.path))
            let problem = try #require(outcome.problems(.unreadableFile).first)
            #expect(problem.origin.file == url.path)
            #expect(problem.message.contains("LZ4"))
        }
    }

    @Test("overrides win over aliases")
    func overridesWin() throws {
        let fields = FieldNames(key: "uid", image: "picture", caption: "alt")
        let outcome = try readAll(try JSONLReader(path: readerFixture("manifests/overrides.jsonl"), fields: fields))
        let sample = try #require(outcome.samples.first)
        #expect(sample.key == "u1")
        #expect(sample.image == "images/cat.jpg")
        #expect(sample.caption == "override caption")
        #expect(fields.roles(in: sample.record) == FieldRoles(key: "uid", image: "picture", caption: "alt"))
        #expect(FieldNames().roles(in: sample.record) == FieldRoles(key: "key", image: "image", caption: "caption"))
    }

    @Test("field names match aliases and overrides in any letter case, as CSV headers do; the exact spelling wins")
    func namesInAnyCase() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("caps.jsonl").path
        try Data(
            (#"{"KEY": "k1", "Image": "a.jpg", "TEXT": "upper"}"# + "\n"
                + #"{"Caption": "folded", "caption": "exact", "URL": "b.jpg", "Picture": "c.jpg"}"# + "\n").utf8
        ).write(to: URL(fileURLWithPath: path))
        let outcome = try readAll(try JSONLReader(path: path))
        #expect(outcome.samples.map(\.key) == ["k1", "2"])
        #expect(outcome.samples.map(\.image) == ["a.jpg", "b.jpg"])
        #expect(outcome.samples.map(\.caption) == ["upper", "exact"])
        #expect(outcome.problems(.missingField).isEmpty, "\(outcome.problems)")
        let overridden = try readAll(try JSONLReader(path: path, fields: FieldNames(image: "picture")))
        #expect(overridden.samples.map(\.image) == [nil, "c.jpg"])
        #expect(FieldNames().captionName(in: ["Caption", "caption"]) == "caption")
        #expect(FieldNames().captionName(in: ["id", "TEXT"]) == "TEXT")
        #expect(FieldNames(caption: "Alt").captionName(in: ["alt", "caption"]) == "alt")
    }

    @Test("bad lines become problems with file and line, and reading goes on")
    func reportsBadLines() throws {
        let path = readerFixture("manifests/bad.jsonl")
        let outcome = try readAll(try JSONLReader(path: path))
        let malformed = outcome.problems(.malformedLine)
        #expect(malformed.map(\.origin.line) == [2, 3, 4, 5, 12, 15, 16])
        #expect(malformed.allSatisfy { $0.origin.file == path })
        #expect(malformed.first { $0.origin.line == 12 }?.message.contains("nested deeper") == true)
        #expect(malformed.first { $0.origin.line == 3 }?.message.contains("not a JSON object") == true)

        // The samples that are readable are all there, in order.
        #expect(
            outcome.samples.map(\.key) == [
                "good", "good", "escape", "symlink", "remote", "missing", "noimage", "nested", "both", "latin1",
            ])
        let nested = try #require(outcome.sample("nested"))
        #expect(
            nested.record["nested"] == String(repeating: "[", count: 100) + "1.50" + String(repeating: "]", count: 100))
    }

    @Test(
        "images outside the folder, remote or missing are reported and the sample is kept",
        arguments: [
            ("escape", ProblemKind.pathEscape, 7),
            ("symlink", ProblemKind.pathEscape, 8),
            ("remote", ProblemKind.remoteImage, 9),
            ("missing", ProblemKind.missingImage, 10),
            ("noimage", ProblemKind.missingField, 11),
        ])
    func reportsImageProblems(key: String, kind: ProblemKind, line: Int) throws {
        let path = readerFixture("manifests/bad.jsonl")
        let outcome = try readAll(try JSONLReader(path: path))
        #expect(outcome.source(key) == .missing(kind))
        let problem = try #require(outcome.problems(kind).first { $0.key == key })
        #expect(problem.origin == SampleOrigin(file: path, line: line))
        #expect(problem.description.contains("\(path):\(line)"))
        // The sample comes first, its problem right after it.
        let at = try #require(outcome.sequence.firstIndex(of: "sample:\(key)"))
        #expect(outcome.sequence[at + 1] == "problem:\(kind.rawValue)")
    }

    @Test("a local path wins over a URL in another image alias")
    func prefersLocalImage() throws {
        let outcome = try readAll(try JSONLReader(path: readerFixture("manifests/bad.jsonl")))
        let sample = try #require(outcome.sample("both"))
        #expect(sample.image == "images/rocket.webp")
        #expect(outcome.source("both")?.fileURL?.lastPathComponent == "rocket.webp")
    }

    @Test("invalid UTF-8 in a caption is reported and the caption is decoded lossily")
    func keepsInvalidUTF8() throws {
        let path = readerFixture("manifests/bad.jsonl")
        let outcome = try readAll(try JSONLReader(path: path))
        let sample = try #require(outcome.sample("latin1"))
        #expect(sample.caption == "caf\u{FFFD} au lait")
        // The line's bytes are kept as they are, for an untouched row to be written back byte for byte.
        #expect(sample.record.source == Array(#"{"key": "latin1", "image": "images/cat.jpg", "caption": "caf"#.utf8)
            + [0xE9] + Array(#" au lait"}"#.utf8))
        #expect(sample.record.sourceText == nil)
        let problem = try #require(outcome.problems(.invalidUTF8).first)
        #expect(problem.key == "latin1")
        #expect(problem.origin == SampleOrigin(file: path, line: 17))
        #expect(problem.message.contains("caption"))
    }

    @Test("an absolute path inside the folder is read; one outside is a path escape")
    func absolutePaths() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inside = folder.appendingPathComponent("cat.jpg")
        try FileManager.default.copyItem(at: Fixtures.url("readers/manifests/images/cat.jpg"), to: inside)
        let outside = Fixtures.url("readers/outside/secret.jpg").path
        let manifest = folder.appendingPathComponent("abs.jsonl")
        try Data(
            """
            {"key": "in", "image": \(JSONString.quote(inside.path)), "caption": "a cat"}
            {"key": "out", "image": \(JSONString.quote(outside)), "caption": "a cat"}
            {"key": "fileurl", "image": "file://\(inside.path)", "caption": "a cat"}

            """.utf8
        ).write(to: manifest)
        let outcome = try readAll(try JSONLReader(path: manifest.path))
        #expect(outcome.source("in")?.fileURL?.lastPathComponent == "cat.jpg")
        #expect(outcome.source("fileurl")?.fileURL?.lastPathComponent == "cat.jpg")
        #expect(outcome.source("out") == .missing(.pathEscape))
        #expect(outcome.problems.map(\.kind) == [.pathEscape])
        #expect(outcome.problems.first?.message.contains("--image-root") == true)

        // An image root of / lets every absolute path through; relative paths then resolve against it.
        let opened = try readAll(try DatasetReader(inputs: [manifest.path], imageRoot: "/"))
        #expect(opened.source("out")?.fileURL?.lastPathComponent == "secret.jpg")
        #expect(opened.source("in")?.fileURL?.lastPathComponent == "cat.jpg")
        #expect(opened.problems.isEmpty)
    }
}
