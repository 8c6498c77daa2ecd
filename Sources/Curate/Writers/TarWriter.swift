internal import CArchive
import Foundation

/// Writes a tar archive (POSIX ustar, with pax headers only for names ustar cannot hold) through libarchive into
/// an ``AtomicFile``. Entries are regular files with mode 0644, owner 0 and time 0, so the same entries give the
/// same bytes.
final class TarWriter {
    private let file: AtomicFile
    private var archive: OpaquePointer?
    /// The first error of a write callback (libarchive only sees -1).
    private var failure: OutputError?

    init(_ file: AtomicFile) throws(OutputError) {
        self.file = file
        // libarchive derives each header's name from the UTF-8 one in the C library's character set; in the "C"
        // locale a name like `ключ.jpg` has none, and the ustar header writer read a null name (crash).
        _ = Self.utf8CharacterSet
        archive = archive_write_new()
        guard let archive, archive_write_set_format_pax_restricted(archive) == ARCHIVE_OK else {
            throw OutputError(path: file.url.path, operation: "start a tar archive", message: "libarchive refused")
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = archive_write_open(archive, context, nil, { _, context, buffer, length in
            let writer = Unmanaged<TarWriter>.fromOpaque(context!).takeUnretainedValue()
            do throws(OutputError) {
                try writer.file.write(Data(bytes: buffer!, count: length))
                return length
            } catch {
                writer.failure = writer.failure ?? error
                return -1
            }
        }, nil)
        guard status == ARCHIVE_OK else { throw error("start a tar archive") }
    }

    /// Sets the process's character set (`LC_CTYPE`, only that category) to UTF-8, once.
    private static let utf8CharacterSet: Void = { _ = setlocale(LC_CTYPE, "C.UTF-8") }()

    deinit {
        if let archive { archive_write_free(archive) }
    }

    /// Appends one regular file.
    func add(name: String, data: Data) throws(OutputError) {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_filetype(entry, 0o100000)  // AE_IFREG (a macro Swift does not import)
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, la_int64_t(data.count))
        archive_entry_set_mtime(entry, 0, 0)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw error("write the tar header of \(name)") }
        let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == data.count else { throw error("write \(name) into the tar archive") }
    }

    /// Writes the archive's end blocks (the file still needs its commit).
    func finish() throws(OutputError) {
        guard archive_write_close(archive) == ARCHIVE_OK else { throw error("finish the tar archive") }
        archive_write_free(archive)
        archive = nil
    }

    private func error(_ operation: String) -> OutputError {
        if let failure { return failure }
        let message = archive.flatMap { archive_error_string($0) }.map { String(cString: $0) } ?? "libarchive failed"
        return OutputError(path: file.url.path, operation: operation, message: message)
    }
}
