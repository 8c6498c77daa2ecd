internal import CArchive
import Foundation

/// A libarchive reader over one tar shard (plain or compressed), freed when released.
final class ArchiveHandle {
    /// One member header.
    struct Member {
        var name: String
        /// Size the header declares.
        var size: Int
        var isRegularFile: Bool
        var isDirectory: Bool
    }

    /// What `nextMember()` found.
    enum Step {
        case member(Member)
        case end
        /// The archive is corrupt or truncated; nothing more can be read from it.
        case failure(String)
    }

    let path: String
    private let archive: OpaquePointer

    init(path: String) throws(ByteReadError) {
        self.path = path
        guard let created = archive_read_new() else { throw ByteReadError(path: path, "libarchive could not start") }
        archive = created
        archive_read_support_format_tar(archive)
        archive_read_support_filter_all(archive)
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else {
            // `deinit` frees the handle.
            throw ByteReadError(path: path, "cannot open as a tar shard: \(errorMessage())")
        }
    }

    deinit { archive_read_free(archive) }

    func nextMember() -> Step {
        while true {
            var entry: OpaquePointer?
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return .end }
            if status == ARCHIVE_RETRY { continue }
            guard status >= ARCHIVE_WARN, let entry else { return .failure(errorMessage()) }
            let rawName = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)
            let name = rawName.map { String(cString: $0) } ?? ""
            let type = archive_entry_filetype(entry)
            // A hard link arrives as a regular file with no data of its own; treat it as a link.
            let isLink = archive_entry_hardlink(entry) != nil || archive_entry_symlink(entry) != nil
            return .member(
                Member(
                    name: name, size: Int(archive_entry_size(entry)),
                    isRegularFile: type == 0o100000 && !isLink, isDirectory: type == 0o040000))
        }
    }

    /// Reads the current member's data, at most `limit` bytes; returns nil and a message when the shard is damaged.
    func readData(expectedSize: Int) -> Result<Data, ByteReadError> {
        var data = Data(count: max(expectedSize, 0))
        var filled = 0
        while true {
            if filled == data.count {
                // The header's size was reached; any further byte means the member lied about its size.
                var probe: UInt8 = 0
                let extra = archive_read_data(archive, &probe, 1)
                if extra < 0 { return .failure(ByteReadError(path: path, errorMessage())) }
                if extra == 0 { return .success(data) }
                return .failure(ByteReadError(path: path, "member holds more bytes than its header declares"))
            }
            let count = data.withUnsafeMutableBytes { raw in
                archive_read_data(archive, raw.baseAddress! + filled, raw.count - filled)
            }
            if count < 0 { return .failure(ByteReadError(path: path, errorMessage())) }
            if count == 0 {
                return .failure(ByteReadError(path: path, "member data ends after \(filled) of \(data.count) bytes"))
            }
            filled += count
        }
    }

    /// Skips the current member's data.
    func skipData() -> ByteReadError? {
        archive_read_data_skip(archive) < ARCHIVE_WARN ? ByteReadError(path: path, errorMessage()) : nil
    }

    private func errorMessage() -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
