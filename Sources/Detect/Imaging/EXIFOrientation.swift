import Foundation

/// The EXIF Orientation tag (0x0112): how the stored pixels must be transformed to display the image upright.
///
/// Raw values are the tag's values 1...8. Rotations are clockwise, as a viewer applies them.
public enum EXIFOrientation: Int, Sendable, Hashable, CaseIterable {
    /// 1: stored upright.
    case identity = 1
    /// 2: mirror left–right.
    case flipHorizontal = 2
    /// 3: rotate 180°.
    case rotate180 = 3
    /// 4: mirror top–bottom.
    case flipVertical = 4
    /// 5: mirror along the main diagonal (mirror left–right, then rotate 270° clockwise).
    case transpose = 5
    /// 6: rotate 90° clockwise.
    case rotate90 = 6
    /// 7: mirror along the anti-diagonal (mirror left–right, then rotate 90° clockwise).
    case transverse = 7
    /// 8: rotate 270° clockwise (90° counter-clockwise).
    case rotate270 = 8

    /// Whether displaying the image swaps its width and height.
    public var swapsDimensions: Bool { rawValue >= 5 }

    /// Reads the orientation from a TIFF structure (the payload of an APP1 `Exif\0\0` segment after that
    /// prefix, a PNG `eXIf` chunk, or a WebP `EXIF` chunk). A leading `Exif\0\0` is skipped if present.
    ///
    /// Only IFD0 is read and no offset chain is followed, so hostile input (offsets past the end, IFDs that point
    /// at themselves, absurd entry counts) cannot loop or read out of bounds.
    /// - Returns: nil when the tag is missing, malformed or outside 1...8.
    public init?(tiff: Data) {
        let parsed = tiff.withUnsafeBytes { EXIFOrientation.parse(tiff: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// The orientation tag of a TIFF structure in `bytes`; see `init?(tiff:)`.
    static func parse(tiff bytes: UnsafeRawBufferPointer) -> EXIFOrientation? {
        var reader = TIFFReader(bytes: bytes)
        if reader.bytes.count >= 6, reader.bytes.prefix(6).elementsEqual("Exif\0\0".utf8) {
            reader.bytes = UnsafeRawBufferPointer(rebasing: reader.bytes.dropFirst(6))
        }
        guard let first = reader.byte(at: 0), let second = reader.byte(at: 1), first == second else { return nil }
        switch first {
        case UInt8(ascii: "I"): reader.bigEndian = false
        case UInt8(ascii: "M"): reader.bigEndian = true
        default: return nil
        }
        guard reader.uint16(at: 2) == 42, let ifd = reader.uint32(at: 4), let entries = reader.uint16(at: ifd) else {
            return nil
        }
        for index in 0..<entries {
            let entry = ifd + 2 + index * 12
            guard let tag = reader.uint16(at: entry), let type = reader.uint16(at: entry + 2),
                let count = reader.uint32(at: entry + 4)
            else { return nil }
            guard tag == 0x0112 else { continue }
            guard count >= 1 else { return nil }
            let value: Int?
            switch type {
            case 3: value = reader.uint16(at: entry + 8)  // SHORT, the type the standard prescribes
            case 4: value = reader.uint32(at: entry + 8)  // LONG, written by a few tools
            default: value = nil
            }
            return value.flatMap { EXIFOrientation(rawValue: $0) }
        }
        return nil
    }
}

/// Bounds-checked reads of TIFF integers in either byte order; every read outside the buffer yields nil.
private struct TIFFReader {
    var bytes: UnsafeRawBufferPointer
    var bigEndian = false

    func byte(at offset: Int) -> UInt8? {
        offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    func uint16(at offset: Int) -> Int? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        let a = Int(bytes[offset]), b = Int(bytes[offset + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    func uint32(at offset: Int) -> Int? {
        guard let high = uint16(at: bigEndian ? offset : offset + 2),
            let low = uint16(at: bigEndian ? offset + 2 : offset)
        else { return nil }
        return high << 16 | low
    }
}
