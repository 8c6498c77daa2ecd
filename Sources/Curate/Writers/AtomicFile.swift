import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif

/// A file written aside and moved into place only when complete: a temporary file in the same folder,
/// flushed to disk, then renamed over the final name. Readers never see a half-written file.
public final class AtomicFile {
    /// The final path.
    public let url: URL
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    /// Creates the temporary file next to `url`.
    public init(_ url: URL) throws(OutputError) {
        self.url = url
        let folder = url.deletingLastPathComponent().path
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(temporaryPath, "create a temporary file") }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !finished { discard() }
    }

    /// Appends text (UTF-8).
    public func write(_ text: String) throws(OutputError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(OutputError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends bytes.
    public func write(_ data: Data) throws(OutputError) {
        buffer.append(contentsOf: data)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(OutputError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { bytes in
                systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure(temporaryPath, "write")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs to disk and renames the file into place.
    public func commit() throws(OutputError) {
        guard !finished else { return }
        try flush()
        guard fsync(descriptor) == 0 else { throw Self.failure(temporaryPath, "sync to disk") }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, url.path) == 0 else {
            throw Self.failure(url.path, "move the finished file into place")
        }
        finished = true
    }

    /// Deletes the temporary file.
    public func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        finished = true
    }

    /// Writes `data` to `url` atomically in one go.
    public static func write(_ data: Data, to url: URL) throws(OutputError) {
        let file = try AtomicFile(url)
        try file.write(data)
        try file.commit()
    }

    static func failure(_ path: String, _ operation: String) -> OutputError {
        OutputError(path: path, operation: operation, message: String(cString: strerror(errno)))
    }
}
