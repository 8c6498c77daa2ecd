import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Splits a byte stream into lines, reading in large chunks and finding newlines with `memchr`.
///
/// Lines end at `\n`; a `\r` before it is dropped. Memory stays at the chunk size unless one line is longer,
/// and a line longer than `maxLineLength` is skipped whole and reported as `.overlong`.
final class LineReader {
    /// One line from `next()`.
    enum Line {
        /// The line's bytes, valid only until the next call to `next()`.
        case bytes(UnsafeRawBufferPointer)
        /// A line longer than the cap; its bytes were skipped.
        case overlong
    }

    private let source: any ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var ended = false
    private let maxLineLength: Int
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0

    init(source: any ByteSource, chunkSize: Int = 1 << 20, maxLineLength: Int = 64 << 20) {
        self.source = source
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        self.maxLineLength = max(maxLineLength, chunkSize)
    }

    deinit { buffer.deallocate() }

    /// The next line, or nil at the end of the stream.
    func next() throws(ByteReadError) -> Line? {
        var discarding = false
        while true {
            let base = buffer.baseAddress!
            if scanned < end, let found = memchr(base + scanned, 0x0A, end - scanned) {
                let newline = base.distance(to: UnsafeMutableRawPointer(found))
                lineNumber += 1
                let lineStart = start
                start = newline + 1
                scanned = start
                if discarding { return .overlong }
                return .bytes(trimmedLine(from: lineStart, to: newline))
            }
            scanned = end
            if ended {
                guard start < end || discarding else { return nil }
                lineNumber += 1
                let lineStart = start
                start = end
                if discarding { return .overlong }
                return .bytes(trimmedLine(from: lineStart, to: end))
            }
            if discarding {
                start = 0
                end = 0
                scanned = 0
            } else if start > 0 {
                memmove(base, base + start, end - start)
                end -= start
                scanned -= start
                start = 0
            }
            if end == buffer.count {
                if buffer.count >= maxLineLength {
                    discarding = true
                    start = 0
                    end = 0
                    scanned = 0
                } else {
                    let larger = UnsafeMutableRawBufferPointer.allocate(
                        byteCount: min(buffer.count * 2, maxLineLength), alignment: 16)
                    larger.baseAddress!.copyMemory(from: base, byteCount: end)
                    buffer.deallocate()
                    buffer = larger
                }
            }
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if count == 0 { ended = true } else { end += count }
        }
    }

    private func trimmedLine(from lineStart: Int, to lineEnd: Int) -> UnsafeRawBufferPointer {
        var stop = lineEnd
        if stop > lineStart, buffer[stop - 1] == 0x0D { stop -= 1 }
        return UnsafeRawBufferPointer(rebasing: buffer[lineStart..<stop])
    }
}
