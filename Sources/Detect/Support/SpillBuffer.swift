import Foundation

/// Bytes written once and read back many times, kept out of the process's memory: an unlinked temporary file (in
/// `TMPDIR`) takes them in blocks, so they live in the page cache, which the system can write out and drop, and not
/// in the heap. A run holds its image features and hash codes here: at a million images, 0.6 GB of its peak.
///
/// The last block stays in memory until it fills. If no temporary file can be made or written (no space left), the
/// bytes stay in memory from then on, as they would without the file: slower to fail than to run.
final class SpillBuffer: @unchecked Sendable {  // appends come from one thread before any read; reads only pread
    /// Bytes appended so far.
    private(set) var count = 0
    private var file: Int32 = -1
    private var fileFailed = false
    /// Bytes `0..<fileCount` are in the file, the rest in `tail`.
    private var fileCount = 0
    private var tail: [UInt8] = []
    private let blockSize: Int

    /// A buffer that writes to its file in blocks of `blockSize` bytes.
    init(blockSize: Int = 4 << 20) {
        self.blockSize = max(1, blockSize)
    }

    deinit {
        if file >= 0 { close(file) }
    }

    /// Appends `bytes` and returns where they start.
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        append { $0.append(contentsOf: bytes) }
    }

    /// Appends what `write` appends to the bytes it is given, and returns where they start.
    @discardableResult
    func append(_ write: (inout [UInt8]) -> Void) -> Int {
        let start = count
        write(&tail)
        count = fileCount + tail.count
        if tail.count >= blockSize { writeTail() }
        return start
    }

    /// Appends the bytes of `value` (little-endian on every platform Swift runs on here).
    @discardableResult
    func append<T: FixedWidthInteger>(_ value: T) -> Int {
        withUnsafeBytes(of: value.littleEndian) { append($0) }
    }

    /// Copies bytes `range` into `buffer`, which holds at least `range.count` bytes. Safe from several threads
    /// once appending is over.
    func read(_ range: Range<Int>, into buffer: UnsafeMutableRawBufferPointer) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count && buffer.count >= range.count)
        var done = 0
        while range.lowerBound + done < min(range.upperBound, fileCount) {
            let wanted = min(range.upperBound, fileCount) - (range.lowerBound + done)
            let got = pread(file, buffer.baseAddress! + done, wanted, off_t(range.lowerBound + done))
            if got < 0 && errno == EINTR { continue }
            precondition(got > 0, "reading back a temporary file failed: errno \(errno)")
            done += got
        }
        if range.lowerBound + done < range.upperBound {
            let from = range.lowerBound + done - fileCount
            tail.withUnsafeBytes { tail in
                (buffer.baseAddress! + done).copyMemory(
                    from: tail.baseAddress! + from, byteCount: range.count - done)
            }
        }
    }

    /// Moves the in-memory block to the file, making the file on first use.
    private func writeTail() {
        guard !fileFailed else { return }
        if file < 0 {
            var template = Array((FileManager.default.temporaryDirectory.path + "/curate-spill-XXXXXX").utf8CString)
            file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard file >= 0 else {
                fileFailed = true
                return
            }
            // Unlinked at once: the file goes away with the descriptor, however the run ends.
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
        var written = 0
        let complete = tail.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = pwrite(file, bytes.baseAddress! + written, bytes.count - written, off_t(fileCount + written))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                written += n
            }
            return true
        }
        guard complete else {
            fileFailed = true
            return
        }
        fileCount += tail.count
        tail.removeAll(keepingCapacity: true)
    }

    /// Reads records back through a window of `window` bytes: a sequential walk refills it once a window, and a
    /// record outside it (or larger) is read on its own. `window` 0 reads every record on its own (random access).
    struct Reader {
        let buffer: SpillBuffer
        private let window: Int
        private var storage: [UInt8]
        private var windowStart = 0
        private var windowCount = 0

        init(_ buffer: SpillBuffer, window: Int = 1 << 20) {
            self.buffer = buffer
            self.window = window
            storage = [UInt8](repeating: 0, count: window)
        }

        /// The bytes of `range`, valid inside `body`.
        mutating func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            if range.lowerBound < windowStart || range.upperBound > windowStart + windowCount {
                let size = max(range.count, min(window, buffer.count - range.lowerBound))
                if size > storage.count { storage = [UInt8](repeating: 0, count: size) }
                let buffer = self.buffer
                storage.withUnsafeMutableBytes {
                    buffer.read(range.lowerBound..<range.lowerBound + size, into: $0)
                }
                windowStart = range.lowerBound
                windowCount = size
            }
            let start = range.lowerBound - windowStart
            return try storage.withUnsafeBytes {
                try body(UnsafeRawBufferPointer(rebasing: $0[start..<start + range.count]))
            }
        }
    }
}
