import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct WebDatasetReaderTests {
    @Test("groups members by key into samples with image bytes, captions and preserved json fields")
    func readsShard() throws {
        let path = readerFixture("shards/00000.tar")
        let outcome = try readAll(try WebDatasetReader(path: path))
        #expect(outcome.problems.isEmpty)
        #expect(outcome.samples.map(\.key) == ["s000", "s001", "s002"])
        #expect(outcome.samples.map(\.caption) == ["a cat", "a cup of coffee", "caption from json"])
        #expect(outcome.samples.map(\.image) == ["s000.jpg", "s001.png", "s002.webp"])
        #expect(
            outcome.samples.map(\.origin)
                == ["s000.jpg", "s001.png", "s002.webp"].map { SampleOrigin(file: path, member: $0) })

        let first = try #require(outcome.samples.first)
        #expect(first.record.encoding == .json)
        #expect(first.record.fields.map(\.name) == ["key", "image", "caption", "url", "width", "similarity", "extra"])
        #expect(first.record["caption"] == #""a cat""#)
        #expect(first.record["similarity"] == "0.3050")
        #expect(first.record["extra"] == #"{"a": [1, 2]}"#)
        #expect(outcome.samples[2].record["n"] == "1.50")

        let bytes = try #require(outcome.sources[0].bytes)
        #expect(ImageDecoder.sniff(bytes) == .jpeg)
        #expect(try ImageDecoder.decode(bytes).width == 64)
        #expect(ImageDecoder.sniff(try #require(outcome.sources[1].bytes)) == .png)
        #expect(ImageDecoder.sniff(try #require(outcome.sources[2].bytes)) == .webp)
    }

    @Test("members in folders, captions without images, bad bytes and bad json are reported by member")
    func reportsBadMembers() throws {
        let path = readerFixture("shards/00001.tar")
        let outcome = try readAll(try WebDatasetReader(path: path))
        #expect(outcome.samples.map(\.key) == ["sub/s100", "s102"])
        #expect(outcome.sample("sub/s100")?.caption == "astronaut é")
        #expect(outcome.sample("s102")?.caption == "bad \u{FFFD} bytes")
        let orphan = try #require(outcome.problems(.orphanMember).first)
        #expect(orphan.origin == SampleOrigin(file: path, member: "s101.txt"))
        #expect(orphan.key == "s101")
        let invalid = try #require(outcome.problems(.invalidUTF8).first)
        #expect(invalid.origin == SampleOrigin(file: path, member: "s102.txt"))
        let badJSON = try #require(outcome.problems(.malformedLine).first)
        #expect(badJSON.origin == SampleOrigin(file: path, member: "s102.json"))
        #expect(badJSON.key == "s102")
    }

    @Test("members with absolute paths, '..' or links are never used")
    func refusesUnsafeMembers() throws {
        let path = readerFixture("shards/evil.tar")
        let outcome = try readAll(try WebDatasetReader(path: path))
        #expect(outcome.samples.map(\.key) == ["ok"])
        #expect(outcome.sample("ok")?.caption == "fine")
        let unsafe = outcome.problems(.unsafeMember)
        #expect(unsafe.map(\.origin.member) == ["../evil.jpg", "../evil.txt", "/abs.jpg", "link.jpg", "hard.jpg"])
        #expect(unsafe.allSatisfy { $0.origin.file == path })
        #expect(outcome.problems.count == 5)
        #expect(try ImageDecoder.decode(try #require(outcome.source("ok")?.bytes)).width == 64)
    }

    @Test("a shard cut inside an image yields what is complete, then that sample's truncated image naming the shard")
    func reportsTruncation() throws {
        let path = readerFixture("shards/truncated.tar")
        let outcome = try readAll(try WebDatasetReader(path: path))
        #expect(outcome.samples.map(\.key) == ["t000", "t001"])
        #expect(outcome.sources[0].bytes != nil)
        // The problem has the kind the sample carries, so before and after statistics count it alike.
        #expect(outcome.source("t001") == .missing(.truncatedImage))
        let problem = try #require(outcome.problems(.truncatedImage).first)
        #expect(problem.key == "t001")
        #expect(problem.origin.file == path)
        #expect(problem.origin.member == "t001.jpg")
        #expect(problem.message.contains("truncated") && problem.message.contains("rest of the shard is skipped"))
        #expect(outcome.problems(.unreadableFile).isEmpty)
    }

    @Test("a file that is not a tar cannot be opened as a shard, and DatasetReader reports it and goes on")
    func rejectsGarbage() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("junk.tar")
        try Data(repeating: 0x41, count: 3000).write(to: garbage)
        #expect { try WebDatasetReader(path: garbage.path) } throws: { ($0 as? ByteReadError)?.path == garbage.path }
        let outcome = try readAll(
            try DatasetReader(inputs: [garbage.path, readerFixture("shards/evil.tar")], fields: FieldNames()))
        #expect(outcome.samples.map(\.key) == ["ok"])
        let problem = try #require(outcome.problems.first)
        #expect(problem.kind == .unreadableFile)
        #expect(problem.origin.file == garbage.path)
    }

    @Test("a .jfif or .JPE member is a sample's image, as .jpg is")
    func readsJFIFMembers() throws {
        let shard = try Fixtures.temporaryFolder().appendingPathComponent("00000.tar")
        let photo = try Data(contentsOf: Fixtures.photos[0])
        try writeShard(
            [("k0.jfif", photo), ("k0.txt", Data("a plane".utf8)), ("k1.JPE", photo), ("k1.txt", Data("a jet".utf8))],
            to: shard)
        let outcome = try readAll(try WebDatasetReader(path: shard.path))
        #expect(outcome.samples.map(\.key) == ["k0", "k1"])
        #expect(outcome.samples.map(\.caption) == ["a plane", "a jet"])
        #expect(outcome.sources.map { $0.bytes } == [photo, photo])
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
    }

    @Test(
        "members of one key that are not adjacent: every image is a sample, and the stray members are named as such",
        arguments: [["a.jpg", "b.jpg", "a.txt", "b.txt"], ["a.txt", "b.txt", "a.jpg", "b.jpg"]])
    func nonAdjacentMembers(order: [String]) throws {
        let shard = try Fixtures.temporaryFolder().appendingPathComponent("00000.tar")
        let photo = try Data(contentsOf: Fixtures.photos[0])
        try writeShard(order.map { ($0, $0.hasSuffix(".jpg") ? photo : Data("a caption".utf8)) }, to: shard)
        let outcome = try readAll(try WebDatasetReader(path: shard.path))
        // Webdataset reads a sample from consecutive members: the images are samples (with empty captions, each
        // reported), so none vanishes; the captions are not theirs.
        #expect(outcome.samples.map(\.key) == ["a", "b"])
        #expect(outcome.samples.map(\.caption) == ["", ""])
        #expect(outcome.problems(.missingField).map(\.key) == ["a", "b"])
        let stray = outcome.problems(.orphanMember)
        #expect(stray.map(\.key) == ["a", "b"])
        #expect(stray.map(\.origin) == [SampleOrigin(file: shard.path, member: "a.txt"), SampleOrigin(file: shard.path, member: "b.txt")])
        let message = try #require(stray.first?.message)
        #expect(message.contains("the members of a are not adjacent in \(shard.path)"), "\(message)")
        #expect(!message.contains("has no image member"), "\(message)")
        #expect(outcome.problems.count == 4)
    }

    @Test("members over the size caps are reported and not read; the sample is kept")
    func capsMemberSizes() throws {
        let path = readerFixture("shards/00000.tar")
        let outcome = try readAll(try WebDatasetReader(path: path, maxImageBytes: 1000, maxTextBytes: 10))
        #expect(outcome.samples.map(\.key) == ["s000", "s001", "s002"])
        // The cat JPEG (1612 bytes) and the PNG are over 1000 bytes; the WebP (610 bytes) is not.
        #expect(outcome.source("s000") == .missing(.oversizedImage))
        #expect(outcome.source("s001") == .missing(.oversizedImage))
        #expect(ImageDecoder.sniff(try #require(outcome.source("s002")?.bytes)) == .webp)
        let oversized = outcome.problems(.oversizedImage)
        #expect(oversized.map(\.origin.member) == ["s000.jpg", "s001.png"])
        #expect(oversized.map(\.key) == ["s000", "s001"])
        // "a cup of coffee" (15 bytes) and both json members are over the 10-byte text cap.
        let text = outcome.problems(.unreadableFile)
        #expect(text.map(\.origin.member) == ["s000.json", "s001.txt", "s002.json"])
        #expect(outcome.sample("s000")?.caption == "a cat")
        #expect(outcome.sample("s001")?.caption == "")
    }
}
