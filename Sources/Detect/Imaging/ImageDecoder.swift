import Foundation

/// Decodes JPEG, PNG and WebP bytes through the system C libraries.
///
/// The format always comes from the magic bytes, never from a file name, so a PNG saved as `.jpg` decodes as PNG.
/// Every decoder reads the size from the header and checks `DecodeOptions.maxPixels` before allocating pixels,
/// applies EXIF orientation, and flattens alpha onto white: the result is 8-bit gray or RGB.
public enum ImageDecoder {
    /// The format named by the file's magic bytes.
    public static func sniff(_ data: Data) -> ImageFormat {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if data.count >= 12, data.prefix(4).elementsEqual("RIFF".utf8),
            data.dropFirst(8).prefix(4).elementsEqual("WEBP".utf8)
        {
            return .webp
        }
        return .unknown
    }

    /// Decodes `data` to gray or RGB pixels, with EXIF orientation applied and alpha composited over white.
    /// - Throws: `ImageDecodeError` whose `kind` is `emptyImage`, `truncatedImage`, `corruptImage`,
    ///   `unsupportedFormat` or `oversizedImage`.
    public static func decode(_ data: Data, options: DecodeOptions = DecodeOptions()) throws(ImageDecodeError)
        -> DecodedImage
    {
        if data.isEmpty { throw ImageDecodeError(.emptyImage, "the file is empty") }
        let format = sniff(data)
        if format == .unknown {
            throw ImageDecodeError(.unsupportedFormat, unknownFormatMessage(data))
        }
        // Data.withUnsafeBytes rethrows untyped errors, so the typed error travels out in a Result.
        let result: Result<DecodedImage, ImageDecodeError> = data.withUnsafeBytes { bytes in
            Result { () throws(ImageDecodeError) -> DecodedImage in
                switch format {
                case .jpeg: return try JPEGDecoder.decode(bytes, options: options)
                case .png: return try PNGDecoder.decode(bytes, options: options)
                case .webp: return try WebPDecoder.decode(bytes, options: options)
                case .unknown: throw ImageDecodeError(.unsupportedFormat, unknownFormatMessage(data))
                }
            }
        }
        return try result.get()
    }

    /// Names the formats people commonly mix into image folders, so the message says what the file is.
    static func unknownFormatMessage(_ data: Data) -> String {
        let known: [(String, [UInt8])] = [
            ("GIF", Array("GIF8".utf8)), ("BMP", Array("BM".utf8)), ("TIFF", [0x49, 0x49, 0x2A, 0x00]),
            ("TIFF", [0x4D, 0x4D, 0x00, 0x2A]), ("JPEG XL", [0xFF, 0x0A]), ("JPEG 2000", [0x00, 0x00, 0x00, 0x0C]),
        ]
        for (name, magic) in known where data.starts(with: magic) {
            return "\(name) files are not supported (only JPEG, PNG and WebP)"
        }
        if data.count >= 12, data.dropFirst(4).prefix(4).elementsEqual("ftyp".utf8) {
            let brand = String(decoding: data.dropFirst(8).prefix(4), as: UTF8.self)
            return "ISO media file (brand \(brand): HEIC/AVIF) is not supported (only JPEG, PNG and WebP)"
        }
        let head = data.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        return "not a JPEG, PNG or WebP file (starts with \(head))"
    }
}
