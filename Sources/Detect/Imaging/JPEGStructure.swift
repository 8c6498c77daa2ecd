/// What a walk over a JPEG's marker segments finds, without decoding any pixels.
///
/// TurboJPEG reads the pixels; this walk answers what it does not report: the EXIF orientation, whether CMYK
/// samples follow the Adobe (inverted) convention, and whether a file that decoded with warnings was cut short.
struct JPEGStructure {
    /// How the walk ended.
    enum Ending: Equatable {
        /// The EOI marker was found.
        case endOfImage
        /// The bytes ran out inside a well-formed structure: the file was cut short.
        case truncated
        /// A byte sequence that cannot be a JPEG marker or segment.
        case malformed
        /// The walk stopped at the first scan (SOS) because only the headers were asked for.
        case startOfScan
    }

    /// Byte range of the TIFF structure in the first APP1 `Exif\0\0` segment.
    var exifRange: Range<Int>?
    /// Whether an APP14 "Adobe" segment is present (CMYK/YCCK samples are then stored inverted).
    var hasAdobeSegment = false
    /// The start-of-frame marker code (0xC0 baseline, 0xC2 progressive, ...), when one was seen.
    var frameMarker: UInt8?
    /// Offset of the first scan's entropy-coded data, when the walk got that far.
    var firstScanData: Int?
    var ending: Ending = .malformed

    /// Walks the segments of `bytes` from SOI; stops at the first scan unless `throughScans` is set, in which case
    /// it also steps over entropy-coded data (and any further tables and scans) looking for EOI.
    init(_ bytes: UnsafeRawBufferPointer, throughScans: Bool) {
        let count = bytes.count
        guard count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            ending = count < 2 ? .truncated : .malformed
            return
        }
        var position = 2
        while true {
            guard position < count else { ending = .truncated; return }
            guard bytes[position] == 0xFF else { ending = .malformed; return }
            // Any number of 0xFF fill bytes may precede a marker code.
            while position < count, bytes[position] == 0xFF { position += 1 }
            guard position < count else { ending = .truncated; return }
            let marker = bytes[position]
            position += 1
            switch marker {
            case 0xD9:
                ending = .endOfImage
                return
            case 0x01, 0xD0...0xD7:
                continue  // standalone markers: no length
            case 0xC0...0xFE where marker != 0xC8 && marker != 0xD8:
                break
            default:
                ending = .malformed
                return
            }
            guard position + 2 <= count else { ending = .truncated; return }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2 else { ending = .malformed; return }
            let payload = position + 2..<position + length
            guard payload.upperBound <= count else { ending = .truncated; return }
            if marker == 0xE1, exifRange == nil, payload.count >= 6,
                bytes[payload.lowerBound..<payload.lowerBound + 6].elementsEqual("Exif\0\0".utf8)
            {
                exifRange = payload.lowerBound + 6..<payload.upperBound
            } else if marker == 0xEE, payload.count >= 5,
                bytes[payload.lowerBound..<payload.lowerBound + 5].elementsEqual("Adobe".utf8)
            {
                hasAdobeSegment = true
            }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker), frameMarker == nil {
                frameMarker = marker
            }
            position = payload.upperBound
            if marker == 0xDA {
                if firstScanData == nil { firstScanData = position }
                guard throughScans else { ending = .startOfScan; return }
                position = Self.endOfEntropyData(bytes, from: position)
            }
        }
    }

    /// The position of the first marker after entropy-coded data starting at `start` (or the end of `bytes`).
    /// Inside a scan 0xFF is followed by 0x00 (a stuffed byte), a restart marker, or more 0xFF fill bytes.
    private static func endOfEntropyData(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var position = start
        let count = bytes.count
        while position < count {
            if bytes[position] != 0xFF {
                position += 1
                continue
            }
            var next = position + 1
            while next < count, bytes[next] == 0xFF { next += 1 }
            guard next < count else { return count }
            let code = bytes[next]
            if code == 0x00 || (0xD0...0xD7).contains(code) {
                position = next + 1
                continue
            }
            return next - 1  // the last 0xFF before the marker code
        }
        return count
    }
}
