internal import CLZ4
import Foundation

/// Decompresses an LZ4 frame file (`lz4` CLI, python `lz4.frame`) in chunks through `LZ4F_decompress`.
///
/// Concatenated frames are read one after another; a stream that ends inside a frame is reported as truncated.
final class LZ4FrameSource: ByteSource {
    let path: String
    private let file: FileByteSource
    private let context: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var fileEnded = false
    /// True while a frame has started and not yet ended.
    private var insideFrame = false

    init(path: String) throws(ByteReadError) {
        self.path = path
        file = try FileByteSource(path: path)
        var created: OpaquePointer?
        let status = LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0, let created else {
            throw ByteReadError(path: path, "LZ4 decompression could not start")
        }
        context = created
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    }

    deinit {
        LZ4F_freeDecompressionContext(context)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ByteReadError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd {
                if fileEnded {
                    if insideFrame {
                        throw ByteReadError(path: path, "LZ4 stream is truncated (it ends inside a frame)")
                    }
                    return 0
                }
                let count = try file.read(into: input)
                if count == 0 {
                    fileEnded = true
                    continue
                }
                inputStart = 0
                inputEnd = count
            }
            var produced = buffer.count
            var consumed = inputEnd - inputStart
            let hint = LZ4F_decompress(
                context, buffer.baseAddress, &produced, input.baseAddress! + inputStart, &consumed, nil)
            if LZ4F_isError(hint) != 0 {
                let name = String(cString: LZ4F_getErrorName(hint))
                // The legacy format (`lz4 -l`) starts with 02 21 4C 18 instead of the frame magic 04 22 4D 18.
                let legacy = name.contains("frameType_unknown")
                    ? "; legacy-format LZ4 (`lz4 -l`) is not read: recompress with plain `lz4`" : ""
                throw ByteReadError(path: path, "not a valid LZ4 frame stream: \(name)\(legacy)")
            }
            inputStart += consumed
            insideFrame = hint != 0
            if produced > 0 { return produced }
        }
    }
}
