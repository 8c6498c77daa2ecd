internal import CSPNG
import Foundation

/// PNG decoding through libspng.
///
/// Opaque gray (≤ 8 bits) decodes straight to gray and opaque truecolour or palette images straight to RGB;
/// anything with alpha or a tRNS chunk, and 16-bit gray, decodes to RGBA8 and is composited over white.
/// 16-bit samples keep their high byte, as Pillow does. Gamma is not applied (Pillow ignores gAMA too).
enum PNGDecoder {
    /// Largest ancillary chunk, and total ancillary chunk memory, libspng may hold (text, ICC, EXIF).
    static let chunkLimit = 16 << 20

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageDecodeError)
        -> DecodedImage
    {
        guard let base = bytes.baseAddress else { throw ImageDecodeError(.emptyImage, "the file is empty") }
        guard let context = spng_ctx_new(0) else { throw ImageDecodeError(.corruptImage, "libspng could not start") }
        defer { spng_ctx_free(context) }
        // libspng's own dimension limits back up the pixel cap below; either side alone may be up to the cap.
        let sideLimit = UInt32(clamping: min(options.maxPixels, Int(Int32.max)))
        spng_set_image_limits(context, sideLimit, sideLimit)
        spng_set_chunk_limits(context, chunkLimit, chunkLimit)
        try check(spng_set_png_buffer(context, base, bytes.count), "reading")

        var header = spng_ihdr()
        try check(spng_get_ihdr(context, &header), "reading the header")
        let width = Int(header.width), height = Int(header.height)
        try options.checkPixelCap(width: width, height: height, format: .png)

        // Reading tRNS reads every chunk before the image data; a failure other than "no such chunk" (the file
        // ends inside PLTE, say) leaves libspng unusable, so it is reported here.
        var transparency = spng_trns()
        let transparencyStatus = spng_get_trns(context, &transparency)
        if transparencyStatus != 0, transparencyStatus != Int32(SPNG_ECHUNKAVAIL.rawValue) {
            try check(transparencyStatus, "reading the chunks before the image data")
        }
        let hasTransparency = transparencyStatus == 0
        let isGray = header.color_type == 0 || header.color_type == 4
        let hasAlpha = header.color_type == 4 || header.color_type == 6 || hasTransparency
        let format: spng_format
        if header.color_type == 0, header.bit_depth <= 8, !hasTransparency {
            format = SPNG_FMT_G8
        } else if !isGray, !hasAlpha {
            format = SPNG_FMT_RGB8
        } else {
            format = SPNG_FMT_RGBA8
        }
        let fmt = Int32(format.rawValue)

        // Deflate expands at most 1032:1, so image data too small for the claimed size is refused here, before
        // allocating for it: a tiny file claiming a large image (under the cap) costs nothing.
        let chunks = ChunkSummary(bytes)
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(header.color_type)] ?? 4
        // A lower bound on the inflated size whether interlaced or not: every pixel's bits, rows rounded down.
        let rowBytes = (width * channels * Int(header.bit_depth)) / 8
        if Double(chunks.imageDataBytes) * 1032 + 1032 < Double(height) * Double(rowBytes) {
            throw ImageDecodeError(
                chunks.hasEnd ? .corruptImage : .truncatedImage,
                "PNG image data (\(chunks.imageDataBytes) bytes) is too short for \(width)x\(height)")
        }

        var length = 0
        try check(spng_decoded_image_size(context, fmt, &length), "sizing the image")
        let samplesPerPixel = format == SPNG_FMT_G8 ? 1 : format == SPNG_FMT_RGB8 ? 3 : 4
        guard length == width * height * samplesPerPixel else {
            throw ImageDecodeError(.corruptImage, "PNG output size \(length) does not match \(width)x\(height)")
        }
        var status: Int32 = 0
        let decoded = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            status = spng_decode_image(context, out.baseAddress, length, fmt, Int32(SPNG_DECODE_TRNS.rawValue))
            initialized = length
        }
        try check(status, "decoding pixels")
        // libspng stops once the image data is inflated; a file cut after that point (IDAT CRC or IEND missing)
        // is still truncated, like a JPEG without EOI.
        guard chunks.hasEnd else {
            throw ImageDecodeError(.truncatedImage, "PNG ends before its IEND chunk")
        }

        let pixelCount = width * height
        var pixels: PixelImage
        switch format {
        case SPNG_FMT_G8:
            pixels = PixelImage(width: width, height: height, channels: 1, pixels: decoded)
        case SPNG_FMT_RGB8:
            pixels = PixelImage(width: width, height: height, channels: 3, pixels: decoded)
        default:
            let flattened = decoded.withUnsafeBytes { rgba in
                isGray
                    ? PixelConversion.grayOverWhite(rgba: rgba, pixelCount: pixelCount)
                    : PixelConversion.rgbOverWhite(rgba: rgba, pixelCount: pixelCount)
            }
            pixels = PixelImage(width: width, height: height, channels: isGray ? 1 : 3, pixels: flattened)
        }

        // An eXIf chunk (PNG 1.5 extension) may carry an orientation; Pillow honours it, so do we.
        var exif = spng_exif()
        var orientation = EXIFOrientation.identity
        if spng_get_exif(context, &exif) == 0, let data = exif.data, exif.length > 0 {
            orientation =
                EXIFOrientation.parse(tiff: UnsafeRawBufferPointer(start: data, count: exif.length))
                ?? .identity
        }
        pixels = pixels.oriented(orientation)
        return DecodedImage(format: .png, width: pixels.width, height: pixels.height, pixels: pixels)
    }

    /// The chunk sequence, walked over chunk headers with bounds checks: total IDAT payload, and whether a complete
    /// IEND chunk is present.
    struct ChunkSummary {
        var imageDataBytes = 0
        var hasEnd = false

        init(_ bytes: UnsafeRawBufferPointer) {
            var offset = 8
            while offset <= bytes.count - 12 {
                let length =
                    Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                    | Int(bytes[offset + 3])
                let type = bytes[offset + 4..<offset + 8]
                if type.elementsEqual("IEND".utf8) {
                    hasEnd = true
                    return
                }
                let available = min(length, bytes.count - offset - 8)
                if type.elementsEqual("IDAT".utf8) { imageDataBytes += max(0, available) }
                guard length <= bytes.count - offset - 12 else { return }
                offset += 12 + length
            }
        }
    }

    /// Turns a libspng status into a typed error: data that runs out is truncation, limits are over-size.
    private static func check(_ status: Int32, _ operation: String) throws(ImageDecodeError) {
        guard status != 0 else { return }
        let reason = String(cString: spng_strerror(status))
        switch status {
        case SPNG_IO_EOF.rawValue, Int32(SPNG_EOF.rawValue), Int32(SPNG_EIDAT_TOO_SHORT.rawValue):
            throw ImageDecodeError(.truncatedImage, "PNG ends early while \(operation): \(reason)")
        case Int32(SPNG_EUSER_WIDTH.rawValue), Int32(SPNG_EUSER_HEIGHT.rawValue),
            Int32(SPNG_ECHUNK_LIMITS.rawValue), Int32(SPNG_EOVERFLOW.rawValue):
            throw ImageDecodeError(.oversizedImage, "PNG over the size limits while \(operation): \(reason)")
        default:
            throw ImageDecodeError(.corruptImage, "PNG \(operation): \(reason)")
        }
    }
}
