import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why bytes could not be read from an input file.
public struct ByteReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file being read.
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A sequential source of bytes: a plain file or a decompressed stream.
protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ByteReadError) -> Int
}

/// Opens `path` as a byte stream, decompressing LZ4 frames when the name ends in `.lz4`.
func openByteSource(path: String) throws(ByteReadError) -> any ByteSource {
    if path.lowercased().hasSuffix(".lz4") {
        return try LZ4FrameSource(path: path)
    }
    return try FileByteSource(path: path)
}

/// A file read with plain `read(2)` calls; the caller does the buffering.
final class FileByteSource: ByteSource {
    let path: String
    private let descriptor: Int32

    init(path: String) throws(ByteReadError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ByteReadError(path: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ByteReadError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw ByteReadError(path: path, "read failed: \(String(cString: strerror(errno)))")
        }
    }
}
