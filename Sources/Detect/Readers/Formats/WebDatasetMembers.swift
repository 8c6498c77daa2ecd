import Foundation

/// The members of a webdataset shard as a second pass copies them (a cleaned shard): every regular member with a
/// safe path, in order, with the sample key and suffix ``WebDatasetReader`` gives it. Unsafe members (absolute
/// paths, `..`, links) and members without a key are passed over; reading stops at the first damage, which the
/// reader already reported when the shard was scanned. As in the reader, consecutive members of one key are a
/// group, and a group with an image member is a sample.
public struct WebDatasetMembers {
    /// One member: its name in the shard, its sample key, its suffix (after the key's dot, as written) and its bytes.
    public struct Member: Sendable {
        public var name: String
        public var key: String
        public var suffix: String
        /// The bytes; nil for a member over `maxBytes`, which is not read.
        public var data: Data?
        /// An image member (``ImageExtensions/decoded``, any case): a group of members with one is a sample.
        public var isImage: Bool { WebDatasetReader.imageSuffixes.contains(suffix.lowercased()) }
    }

    /// How a member's name splits into a sample key and a suffix.
    enum Naming: Equatable {
        /// An absolute path or one that climbs out with `..`: never read.
        case unsafe
        /// No dot in the file name (or a leading one): not part of any sample.
        case noKey
        case sample(key: String, suffix: String)
    }

    /// The naming rule: `./` prefixes dropped; the key is the path up to the first dot of the file name, the suffix
    /// what follows that dot (case kept).
    static func naming(of memberName: String) -> Naming {
        var name = memberName
        while name.hasPrefix("./") { name.removeFirst(2) }
        if name.hasPrefix("/") || name.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return .unsafe
        }
        let slash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        guard let dot = name[slash...].firstIndex(of: "."), dot != slash else { return .noKey }
        return .sample(key: String(name[..<dot]), suffix: String(name[name.index(after: dot)...]))
    }

    /// The sample key and suffix of a member name, nil for a member that belongs to no sample.
    public static func split(_ memberName: String) -> (key: String, suffix: String)? {
        if case .sample(let key, let suffix) = naming(of: memberName) { return (key, suffix) }
        return nil
    }

    private let archive: ArchiveHandle
    private var finished = false
    /// Members over this size are not read (the reader's image cap).
    public let maxBytes: Int

    /// Opens the shard.
    /// - Throws: `ByteReadError` when the file cannot be opened as an archive.
    public init(path: String, maxBytes: Int = WebDatasetReader.defaultMaxImageBytes) throws {
        archive = try ArchiveHandle(path: path)
        self.maxBytes = maxBytes
    }

    /// The next member to copy, nil at the end of the shard or at damage.
    public mutating func next() -> Member? {
        while !finished {
            switch archive.nextMember() {
            case .end, .failure:
                finished = true
            case .member(let member):
                guard member.isRegularFile, case .sample(let key, let suffix) = Self.naming(of: member.name) else {
                    if archive.skipData() != nil { finished = true }
                    continue
                }
                if member.size > maxBytes {
                    if archive.skipData() != nil { finished = true }
                    return Member(name: member.name, key: key, suffix: suffix, data: nil)
                }
                switch archive.readData(expectedSize: member.size) {
                case .success(let data): return Member(name: member.name, key: key, suffix: suffix, data: data)
                case .failure: finished = true
                }
            }
        }
        return nil
    }
}
