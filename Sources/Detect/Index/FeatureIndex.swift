import Foundation
import GRDB

/// What the index remembers about one image file, keyed by the XXH3-128 of its bytes.
public enum CachedImage: Sendable, Hashable {
    case features(ImageFeatures)
    /// The bytes could not be decoded; remembered so a rescan does not try again.
    case failure(ImageDecodeError)
}

/// The SQLite index (`--index`, default `.curate/index.sqlite`): image features cached by content hash.
///
/// Content-addressed, so it is shared by every dataset that holds the same files, a stopped scan resumes by
/// skipping what is stored, and two indexes merge by copying rows. WAL mode; each batch commits in one
/// transaction, so a killed scan loses at most the batch in flight and never corrupts what was committed.
public final class FeatureIndex: Sendable {
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating if needed) the index at `path` and migrates it to the current schema.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        pool = try Self.opening(path: path, configuration: configuration)
    }

    /// Opens and migrates the pool. Two runs creating one index at once race to switch it to WAL and to migrate
    /// it, where SQLite answers "locked" at once instead of waiting: the loser retries for up to 30 s. The migrator
    /// also reads which migrations are done before it takes the write lock, so both runs can decide to apply one;
    /// the loser's then fails on the winner's tables ("already exists", "duplicate column"), is rolled back, and
    /// finds the migration done when it tries again.
    private static func opening(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(30)
        var schemaRetries = 3
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrator.migrate(pool)
                return pool
            } catch let error as DatabaseError
                where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) && Date() < deadline
            {
                Thread.sleep(forTimeInterval: 0.05)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR && schemaRetries > 0 {
                schemaRetries -= 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// The schema, one migration per version. Never edit a shipped migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "image") { t in
                t.primaryKey("content_hash", .blob)
                t.column("encoding", .integer).notNull()
                t.column("features", .blob)
                t.column("failure_kind", .text)
                t.column("failure_message", .text)
            }
            try db.create(table: "file") { t in
                t.primaryKey("path", .text)
                t.column("size", .integer).notNull()
                t.column("mtime_ns", .integer).notNull()
                t.column("content_hash", .blob).notNull()
            }
        }
        // The inode change time: a file rewritten with its old size and modification time (`cp -p`, `rsync -t`,
        // `touch -d`) still gets a new one, so its bytes are hashed again. Rows from v1 hold 0 and are re-read once.
        migrator.registerMigration("v2") { db in
            try db.alter(table: "file") { t in t.add(column: "ctime_ns", .integer).notNull().defaults(to: 0) }
        }
        return migrator
    }

    /// Cached entries for the given content hashes (absent when unknown or stored by an older encoding).
    public func lookup(_ hashes: [ContentHash]) throws -> [ContentHash: CachedImage] {
        guard !hashes.isEmpty else { return [:] }
        return try pool.read { db in
            var found: [ContentHash: CachedImage] = [:]
            let statement = try db.cachedStatement(
                sql: "SELECT encoding, features, failure_kind, failure_message FROM image WHERE content_hash = ?")
            for hash in Set(hashes) {
                guard let row = try Row.fetchOne(statement, arguments: [hash.blob]) else { continue }
                guard row["encoding"] as Int == ImageFeatures.encodingVersion else { continue }
                if let blob = row["features"] as Data?, let features = ImageFeatures(binary: blob) {
                    found[hash] = .features(features)
                } else if let kindName = row["failure_kind"] as String?, let kind = ProblemKind(rawValue: kindName) {
                    found[hash] = .failure(ImageDecodeError(kind, row["failure_message"] ?? ""))
                }
            }
            return found
        }
    }

    /// Stores new entries in one transaction.
    public func store(_ entries: [(ContentHash, CachedImage)]) throws {
        guard !entries.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO image (content_hash, encoding, features, failure_kind, failure_message)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for (hash, entry) in entries {
                switch entry {
                case .features(let features):
                    try statement.execute(arguments: [hash.blob, ImageFeatures.encodingVersion, features.binary, nil, nil])
                case .failure(let error):
                    try statement.execute(arguments: [hash.blob, ImageFeatures.encodingVersion, nil, error.kind.rawValue, error.message])
                }
            }
        }
    }

    /// Content hashes remembered for files whose size and modification time are unchanged.
    public func knownFiles(_ files: [FileStamp]) throws -> [String: ContentHash] {
        guard !files.isEmpty else { return [:] }
        return try pool.read { db in
            var known: [String: ContentHash] = [:]
            let statement = try db.cachedStatement(
                sql: "SELECT size, mtime_ns, ctime_ns, content_hash FROM file WHERE path = ?")
            for file in files {
                guard let row = try Row.fetchOne(statement, arguments: [file.path]),
                    row["size"] as Int64 == file.size, row["mtime_ns"] as Int64 == file.modifiedNanoseconds,
                    row["ctime_ns"] as Int64 == file.changedNanoseconds,
                    let hash = ContentHash(blob: row["content_hash"])
                else { continue }
                known[file.path] = hash
            }
            return known
        }
    }

    /// Remembers the content hashes of files, keyed by path, size, modification and change time.
    public func rememberFiles(_ files: [(FileStamp, ContentHash)]) throws {
        guard !files.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO file (path, size, mtime_ns, ctime_ns, content_hash) VALUES (?, ?, ?, ?, ?)")
            for (file, hash) in files {
                try statement.execute(
                    arguments: [file.path, file.size, file.modifiedNanoseconds, file.changedNanoseconds, hash.blob])
            }
        }
    }

    /// Number of images stored.
    public func imageCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image") ?? 0 }
    }

    /// Copies every entry of the index at `other` into this one: indexes built per shard (`--shard I/N`) on
    /// several machines merge this way. An image both know keeps the newer feature encoding (an older one would
    /// be recomputed on the next scan anyway); a file both know keeps the other's stamp when it is newer.
    /// - Throws: ``IndexMergeError`` when `other` is missing, is this index, or is not a curate index.
    @discardableResult
    public func merge(from other: String) throws -> IndexMergeCounts {
        let same = URL(fileURLWithPath: other).standardizedFileURL.resolvingSymlinksInPath()
            == URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        if same { throw IndexMergeError(path: other, message: "is the index being merged into") }
        try Self.checkIsIndex(other)
        return try pool.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [other])
            defer { try? db.execute(sql: "DETACH DATABASE other") }
            var counts = IndexMergeCounts()
            try db.inTransaction {
                let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image") ?? 0
                try db.execute(
                    sql: """
                        INSERT INTO image (content_hash, encoding, features, failure_kind, failure_message)
                        SELECT content_hash, encoding, features, failure_kind, failure_message FROM other.image WHERE true
                        ON CONFLICT(content_hash) DO UPDATE SET encoding = excluded.encoding,
                            features = excluded.features, failure_kind = excluded.failure_kind,
                            failure_message = excluded.failure_message
                        WHERE excluded.encoding > image.encoding
                        """)
                let updated = db.changesCount
                counts.imagesAdded = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image") ?? 0) - before
                counts.imagesUpdated = updated - counts.imagesAdded
                // An index from before v2 has no change times: its files count as changed (re-hashed once).
                let changed = try db.columns(in: "file", in: "other").contains { $0.name == "ctime_ns" } ? "ctime_ns" : "0"
                try db.execute(
                    sql: """
                        INSERT INTO file (path, size, mtime_ns, ctime_ns, content_hash)
                        SELECT path, size, mtime_ns, \(changed), content_hash FROM other.file WHERE true
                        ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                            ctime_ns = excluded.ctime_ns, content_hash = excluded.content_hash
                        WHERE excluded.mtime_ns > file.mtime_ns
                        """)
                counts.files = db.changesCount
                return .commit
            }
            return counts
        }
    }

    /// Refuses a file that is missing, not SQLite, or lacks the index's tables, reading it only.
    /// - Throws: ``IndexMergeError`` saying which.
    public static func checkIsIndex(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw IndexMergeError(path: path, message: "no such file") }
        var configuration = Configuration()
        configuration.readonly = true
        let columns: [String: Set<String>]
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            columns = try queue.read { db in
                var found: [String: Set<String>] = [:]
                for table in ["image", "file"] where try db.tableExists(table) {
                    found[table] = Set(try db.columns(in: table).map(\.name))
                }
                return found
            }
        } catch {
            throw IndexMergeError(path: path, message: "cannot be read as SQLite: \(error)")
        }
        let wanted: [String: Set<String>] = [
            "image": ["content_hash", "encoding", "features", "failure_kind", "failure_message"],
            "file": ["path", "size", "mtime_ns", "content_hash"],
        ]
        for (table, names) in wanted where !(columns[table].map(names.isSubset) ?? false) {
            throw IndexMergeError(path: path, message: "is not a curate index (no `\(table)` table with its columns)")
        }
    }

    /// SQLite's own consistency check; "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}

/// A file's identity for the path cache: a changed size or modification time means the bytes must be read again.
public struct FileStamp: Sendable, Hashable {
    public var path: String
    public var size: Int64
    public var modifiedNanoseconds: Int64
    /// The inode change time, which no tool can set back: rewriting a file changes it even when size and
    /// modification time are kept.
    public var changedNanoseconds: Int64

    public init(path: String, size: Int64, modifiedNanoseconds: Int64, changedNanoseconds: Int64 = 0) {
        self.path = path
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
    }

    /// The stamp of a file on disk, or nil when it cannot be stat'ed.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(
            path: path, size: Int64(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            changedNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }
}

extension ContentHash {
    /// 16 bytes, big-endian, as stored in the index.
    var blob: Data {
        var data = Data(capacity: 16)
        withUnsafeBytes(of: high.bigEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: low.bigEndian) { data.append(contentsOf: $0) }
        return data
    }

    init?(blob: Data?) {
        guard let blob, blob.count == 16 else { return nil }
        let bytes = [UInt8](blob)
        let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        self.init(high: high, low: low)
    }
}

/// What a merge copied.
public struct IndexMergeCounts: Sendable, Hashable {
    /// Images the index did not have.
    public var imagesAdded = 0
    /// Images it had in an older feature encoding.
    public var imagesUpdated = 0
    /// File stamps added or refreshed.
    public var files = 0

    public init() {}
}

/// An index that cannot be merged, with the reason.
public struct IndexMergeError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
