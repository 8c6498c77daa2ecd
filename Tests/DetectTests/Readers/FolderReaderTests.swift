import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct FolderReaderTests {
    @Test("reads images with sidecar captions in relative-path order; keys are paths without extension")
    func readsSidecars() throws {
        let root = readerFixture("folder_txt")
        let outcome = try readAll(try FolderReader(path: root))
        #expect(outcome.samples.map(\.key) == ["a", "b", "d", "sub", "sub/c"])
        #expect(outcome.samples.map(\.image) == ["a.jpg", "b.jpg", "d.jpg", "sub.webp", "sub/c.png"])
        #expect(outcome.samples.map(\.caption) == ["a cat", "", "caf\u{FFFD}", "", "coffee in a cup"])
        #expect(
            outcome.samples.map(\.origin.file)
                == ["a.jpg", "b.jpg", "d.jpg", "sub.webp", "sub/c.png"].map { root + "/" + $0 })
        #expect(outcome.sources.allSatisfy { $0.fileURL != nil })
        let record = try #require(outcome.sample("sub/c")?.record)
        #expect(
            record
                == Record(
                    encoding: .text,
                    fields: [
                        .init(name: "key", value: "sub/c"), .init(name: "file_name", value: "sub/c.png"),
                        .init(name: "text", value: "coffee in a cup"),
                    ]))
        #expect(FieldNames().roles(in: record).caption == "text")
        let decoded = try ImageDecoder.decode(try Data(contentsOf: try #require(outcome.source("a")?.fileURL)))
        #expect(decoded.format == .jpeg)
    }

    @Test("a caption without an image and a caption with invalid UTF-8 are reported with their files")
    func reportsOrphansAndBadText() throws {
        let root = readerFixture("folder_txt")
        let outcome = try readAll(try FolderReader(path: root))
        let orphan = try #require(outcome.problems(.orphanMember).first)
        #expect(orphan.origin.file == root + "/orphan.txt")
        #expect(orphan.key == "orphan")
        let invalid = try #require(outcome.problems(.invalidUTF8).first)
        #expect(invalid.origin.file == root + "/d.txt")
        #expect(invalid.key == "d")
        // Images without a caption file are samples with an empty caption, each reported (b.jpg, sub.webp).
        let uncaptioned = outcome.problems(.missingField)
        #expect(uncaptioned.compactMap(\.key) == ["b", "sub"])
        #expect(uncaptioned.first?.origin.file == root + "/b.jpg")
        #expect(uncaptioned.first?.message.contains("b.txt") == true)
        #expect(outcome.sample("b")?.caption == "")
        #expect(outcome.problems.count == 4)
    }

    @Test("JPEG's other extensions, .jpe and .jfif, in any letter case, are images like .jpg")
    func readsJFIFAndJPE() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, name) in ["a.jfif", "b.JFIF", "c.jpe", "d.JPE"].enumerated() {
            try FileManager.default.copyItem(at: Fixtures.photos[index], to: folder.appendingPathComponent(name))
            try Data("photo \(index)".utf8).write(to: folder.appendingPathComponent("\(name.prefix(1)).txt"))
        }
        let outcome = try readAll(try FolderReader(path: folder.path))
        #expect(outcome.samples.map(\.key) == ["a", "b", "c", "d"])
        #expect(outcome.samples.map(\.caption) == ["photo 0", "photo 1", "photo 2", "photo 3"])
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        for source in outcome.sources {
            let decoded = try ImageDecoder.decode(try Data(contentsOf: try #require(source.fileURL)))
            #expect(decoded.format == .jpeg)
        }
        // A folder of such photos beside a shard is an image folder, not the shard's folder.
        #expect(FolderReader.imageExtensions.isSuperset(of: ["jfif", "jpe"]))
    }

    @Test("a symlinked image pointing outside the folder is a path escape and is not read")
    func refusesEscapingSymlink() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: Fixtures.url("readers/folder_txt/a.jpg"), to: folder.appendingPathComponent("a.jpg"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("link.jpg").path,
            withDestinationPath: readerFixture("outside/secret.jpg"))
        let outcome = try readAll(try FolderReader(path: folder.path))
        #expect(outcome.samples.map(\.key) == ["a", "link"])
        #expect(outcome.source("link") == .missing(.pathEscape))
        #expect(outcome.problems(.pathEscape).first?.key == "link")
        // An image folder is its own root: --image-root does not apply, so the advice is to move the file in.
        let message = try #require(outcome.problems(.pathEscape).first?.message)
        #expect(!message.contains("--image-root") && message.contains("not a link to it"), "\(message)")
    }

    @Test("metadata.jsonl drives a Hugging Face ImageFolder", arguments: ["folder_jsonl", "folder_csv"])
    func readsMetadata(folder: String) throws {
        let root = readerFixture(folder)
        #expect(FolderReader.hasMetadata(root))
        let outcome = try readAll(try FolderReader(path: root))
        #expect(outcome.samples.prefix(2).map(\.caption) == ["a cat", "an astronaut"])
        #expect(outcome.samples.prefix(2).map(\.image) == ["train/cat.jpg", "train/astronaut.jpg"])
        #expect(outcome.sources.prefix(2).allSatisfy { $0.fileURL != nil })
        #expect(
            outcome.samples.first?.origin.file.hasSuffix("/metadata." + (folder == "folder_jsonl" ? "jsonl" : "csv"))
                == true)
        if folder == "folder_jsonl" {
            #expect(outcome.samples.map(\.key) == ["1", "2", "3"])
            #expect(outcome.samples.first?.record["split"] == #""train""#)
            #expect(outcome.source("3") == .missing(.missingImage))
            #expect(outcome.problems.map(\.kind) == [.missingImage])
            #expect(outcome.problems.first?.origin.line == 3)
        } else {
            #expect(outcome.samples.map(\.key) == ["2", "3"])
            #expect(outcome.problems.isEmpty)
        }
    }
}
