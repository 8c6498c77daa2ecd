import CurateTestSupport
import Detect
import Foundation
import GRDB
import Testing

@Suite struct FeatureIndexTests {
    static func features(_ seed: UInt64, trimmed: Bool = false) -> ImageFeatures {
        let hashes = PerceptualHashes(phash: seed, dhash: ~seed, pdq: PDQHash(seed, seed &* 3, seed &* 5, seed &* 7), pdqQuality: 90)
        let mirrored = PerceptualHashes(phash: seed ^ 0xFF, dhash: seed, pdq: PDQHash(1, 2, 3, seed), pdqQuality: 88)
        return ImageFeatures(
            contentHash: ContentHash(high: seed, low: seed &+ 1), byteCount: 1234, format: .png, width: 640, height: 480,
            hashes: hashes, mirrored: mirrored, trimmed: trimmed ? hashes : nil, centered: trimmed ? mirrored : nil,
            cropPHashes: trimmed ? (0..<18).map { seed &* UInt64($0 + 11) } : [],
            rotatedPHashes: trimmed ? [seed &* 13, seed &+ 17] : [],
            orientedPHashes: trimmed ? (0..<5).map { seed &* UInt64($0 + 19) } : [], insetPHash: trimmed ? seed &+ 3 : nil,
            trimmedSize: trimmed ? (600, 410) : nil)
    }

    @Test("features survive the binary form unchanged")
    func binaryRoundTrip() throws {
        var withMirroredTrim = Self.features(9, trimmed: true)
        withMirroredTrim.trimmedMirrored = Self.features(10).mirrored
        for value in [Self.features(42), Self.features(.max, trimmed: true), withMirroredTrim] {
            #expect(ImageFeatures(binary: value.binary) == value)
        }
        // The trim flag says how many trimmed views follow (0, 1 or 2); any other value is refused.
        var bytes = withMirroredTrim.binary
        let flag = 8 + 8 + 8 + 1 + 4 + 4 + 2 * (8 + 8 + 32 + 1)
        #expect(bytes[flag] == 2)
        bytes[flag] = 3
        #expect(ImageFeatures(binary: bytes) == nil)
        // The views read back in their places: the inset is not taken for an orientation, nor the other way round.
        let read = try #require(ImageFeatures(binary: withMirroredTrim.binary))
        #expect(read.orientedPHashes == withMirroredTrim.orientedPHashes && read.orientedPHashes.count == 5)
        #expect(read.insetPHash == 9 &+ 3 && read.rotatedPHashes == [9 &* 13, 9 &+ 17])
        // A rotation count (or crop count) with its codes cut off is refused, not read short.
        #expect(ImageFeatures(binary: Self.features(7, trimmed: true).binary.dropLast(8)) == nil)
        #expect(ImageFeatures(binary: Data([1, 2, 3])) == nil)
    }

    @Test("stores and finds features and failures by content hash in a real SQLite file")
    func storeAndLookup() throws {
        let folder = try Fixtures.temporaryFolder()
        let path = folder.appendingPathComponent("nested/index.sqlite").path
        let a = Self.features(1), b = Self.features(2, trimmed: true)
        let bad = ContentHash(high: 9, low: 9)
        do {
            let index = try FeatureIndex(path: path)
            try index.store([(a.contentHash, .features(a)), (b.contentHash, .features(b)),
                             (bad, .failure(ImageDecodeError(.truncatedImage, "ends early")))])
        }
        let reopened = try FeatureIndex(path: path)
        let found = try reopened.lookup([a.contentHash, b.contentHash, bad, ContentHash(high: 0, low: 0)])
        #expect(found.count == 3)
        #expect(found[a.contentHash] == .features(a))
        #expect(found[b.contentHash] == .features(b))
        #expect(found[bad] == .failure(ImageDecodeError(.truncatedImage, "ends early")))
        #expect(try reopened.imageCount() == 3)
        #expect(try reopened.integrityCheck() == "ok")
    }

    @Test("remembers file hashes only while size, modification and change time are unchanged")
    func fileStamps() throws {
        let folder = try Fixtures.temporaryFolder()
        let index = try FeatureIndex(path: folder.appendingPathComponent("i.sqlite").path)
        let stamp = FileStamp(path: "/data/a.jpg", size: 10, modifiedNanoseconds: 5, changedNanoseconds: 7)
        let hash = ContentHash(high: 3, low: 4)
        try index.rememberFiles([(stamp, hash)])
        #expect(try index.knownFiles([stamp]) == ["/data/a.jpg": hash])
        let touched = FileStamp(path: "/data/a.jpg", size: 10, modifiedNanoseconds: 6, changedNanoseconds: 7)
        #expect(try index.knownFiles([touched]).isEmpty)
        // Rewritten with its old size and modification time put back (cp -p, rsync -t): only the change time tells.
        let rewritten = FileStamp(path: "/data/a.jpg", size: 10, modifiedNanoseconds: 5, changedNanoseconds: 8)
        #expect(try index.knownFiles([rewritten]).isEmpty)
    }

    @Test("a real file rewritten with its old size and modification time is hashed again")
    func rewrittenFile() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = try FeatureIndex(path: folder.appendingPathComponent("i.sqlite").path)
        let file = folder.appendingPathComponent("a.bin")
        try Data(repeating: 1, count: 64).write(to: file)
        let before = try #require(FileStamp(path: file.path))
        try index.rememberFiles([(before, ContentHash(of: Data(repeating: 1, count: 64)))])
        #expect(try index.knownFiles([before]).count == 1)
        Thread.sleep(forTimeInterval: 0.02)
        try Data(repeating: 2, count: 64).write(to: file)
        // Put the old modification time back, as `touch -d` or `cp -p` would.
        var times = [
            timespec(tv_sec: Int(before.modifiedNanoseconds / 1_000_000_000), tv_nsec: Int(before.modifiedNanoseconds % 1_000_000_000)),
            timespec(tv_sec: Int(before.modifiedNanoseconds / 1_000_000_000), tv_nsec: Int(before.modifiedNanoseconds % 1_000_000_000)),
        ]
        #expect(utimensat(AT_FDCWD, file.path, &times, 0) == 0)
        let after = try #require(FileStamp(path: file.path))
        #expect(after.size == before.size && after.modifiedNanoseconds == before.modifiedNanoseconds)
        #expect(try index.knownFiles([after]).isEmpty)
    }

    @Test("merges the entries of an index built elsewhere")
    func merge() throws {
        let folder = try Fixtures.temporaryFolder()
        let left = try FeatureIndex(path: folder.appendingPathComponent("left.sqlite").path)
        let right = try FeatureIndex(path: folder.appendingPathComponent("right.sqlite").path)
        let a = Self.features(10), b = Self.features(11)
        try left.store([(a.contentHash, .features(a))])
        try right.store([(a.contentHash, .features(a)), (b.contentHash, .features(b))])
        let counts = try left.merge(from: right.path)
        #expect(counts.imagesAdded == 1 && counts.imagesUpdated == 0)
        #expect(try left.imageCount() == 2)
        #expect(try left.lookup([b.contentHash])[b.contentHash] == .features(b))
    }

    @Test("a merge replaces an entry stored in an older feature encoding, never the reverse")
    func mergeKeepsNewerEncoding() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = folder.appendingPathComponent("old.sqlite").path
        let new = folder.appendingPathComponent("new.sqlite").path
        let a = Self.features(20)
        try FeatureIndex(path: old).store([(a.contentHash, .features(a))])
        try FeatureIndex(path: new).store([(a.contentHash, .features(a))])
        // Make the entry in `old` look as if an earlier version of the tool had written it.
        try DatabaseQueue(path: old).write { db in try db.execute(sql: "UPDATE image SET encoding = encoding - 1") }
        let stale = try FeatureIndex(path: old)
        #expect(try stale.lookup([a.contentHash]).isEmpty)
        // Older into newer: nothing changes.
        let current = try FeatureIndex(path: new)
        #expect(try current.merge(from: old) == IndexMergeCounts())
        #expect(try current.lookup([a.contentHash])[a.contentHash] == .features(a))
        // Newer into older: the entry is upgraded.
        let counts = try stale.merge(from: new)
        #expect(counts.imagesAdded == 0 && counts.imagesUpdated == 1)
        #expect(try stale.lookup([a.contentHash])[a.contentHash] == .features(a))
    }

    @Test("a missing file, a non-index SQLite file, a text file and the index itself are refused untouched")
    func mergeRefusesNonIndexes() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = try FeatureIndex(path: folder.appendingPathComponent("index.sqlite").path)
        let other = folder.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE image (x INTEGER)") }
        let text = folder.appendingPathComponent("notes.sqlite")
        try Data("not a database, just text that is long enough to not be a header".utf8).write(to: text)
        for path in [folder.appendingPathComponent("absent.sqlite").path, other, text.path, index.path] {
            #expect(throws: IndexMergeError.self) { try index.merge(from: path) }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("absent.sqlite").path))
        #expect(try index.imageCount() == 0)
    }

    @Test("the index file is in WAL mode")
    func walMode() throws {
        let folder = try Fixtures.temporaryFolder()
        let path = folder.appendingPathComponent("wal.sqlite").path
        let index = try FeatureIndex(path: path)
        try index.store([(Self.features(5).contentHash, .features(Self.features(5)))])
        // SQLite keeps the write-ahead log beside the database while a connection is open.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("XXH3-128 content hash matches the reference value")
    func contentHash() {
        // xxhsum -H2 of the empty input and of "abc" (xxHash 0.8 canonical form).
        #expect(ContentHash(of: Data()).description == "99aa06d3014798d86001c324468d497f")
        #expect(ContentHash(of: Data("abc".utf8)).description == "06b05ab6733a618578af5f94892f3950")
    }
}
