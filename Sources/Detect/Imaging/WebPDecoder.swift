internal import CWebP
import Foundation

/// WebP decoding through libwebp: lossy and lossless, alpha composited over white, EXIF orientation from the
/// extended format's `EXIF` chunk. Animated WebP needs the demux library and is refused as unsupported.
enum WebPDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageDecodeError)
        -> DecodedImage
    {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodeError(.emptyImage, "the file is empty")
        }
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else {
            throw ImageDecodeError(.corruptImage, "libwebp could not start (ABI mismatch)")
        }
        try check(WebPGetFeatures(base, bytes.count, &config.input), "reading the header")
        let features = config.input
        if features.has_animation != 0 {
            throw ImageDecodeError(
                .unsupportedFormat, "animated WebP is not supported; extract a still frame (e.g. with anim_dump)")
        }
        let width = Int(features.width), height = Int(features.height)
        try options.checkPixelCap(width: width, height: height, format: .webp)

        let hasAlpha = features.has_alpha != 0
        let samplesPerPixel = hasAlpha ? 4 : 3
        let length = width * height * samplesPerPixel
        var status = VP8_STATUS_OK
        // Opaque images decode straight into the final buffer; alpha goes through RGBA and is flattened.
        let decoded = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            config.output.colorspace = hasAlpha ? MODE_RGBA : MODE_RGB
            config.output.is_external_memory = 1
            config.output.u.RGBA.rgba = out.baseAddress
            config.output.u.RGBA.stride = Int32(width * samplesPerPixel)
            config.output.u.RGBA.size = length
            status = WebPDecode(base, bytes.count, &config)
            WebPFreeDecBuffer(&config.output)
            initialized = length
        }
        try check(status, "decoding pixels")

        var pixels: PixelImage
        if hasAlpha {
            let rgb = decoded.withUnsafeBytes { PixelConversion.rgbOverWhite(rgba: $0, pixelCount: width * height) }
            pixels = PixelImage(width: width, height: height, channels: 3, pixels: rgb)
        } else {
            pixels = PixelImage(width: width, height: height, channels: 3, pixels: decoded)
        }
        pixels = pixels.oriented(exifOrientation(bytes) ?? .identity)
        return DecodedImage(format: .webp, width: pixels.width, height: pixels.height, pixels: pixels)
    }

    /// The orientation in the first `EXIF` chunk of a RIFF/WebP file, walking chunk headers with bounds checks.
    static func exifOrientation(_ bytes: UnsafeRawBufferPointer) -> EXIFOrientation? {
        var offset = 12
        while offset <= bytes.count - 8 {
            let size =
                Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16
                | Int(bytes[offset + 7]) << 24
            let payload = offset + 8
            guard size <= bytes.count - payload else { return nil }
            if bytes[offset..<offset + 4].elementsEqual("EXIF".utf8) {
                return EXIFOrientation.parse(tiff: UnsafeRawBufferPointer(rebasing: bytes[payload..<payload + size]))
            }
            offset = payload + size + (size & 1)
        }
        return nil
    }

    /// Turns a libwebp status into a typed error.
    private static func check(_ status: VP8StatusCode, _ operation: String) throws(ImageDecodeError) {
        switch status {
        case VP8_STATUS_OK:
            return
        case VP8_STATUS_NOT_ENOUGH_DATA:
            throw ImageDecodeError(.truncatedImage, "WebP ends early while \(operation)")
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            throw ImageDecodeError(.unsupportedFormat, "WebP uses a feature libwebp cannot decode while \(operation)")
        case VP8_STATUS_OUT_OF_MEMORY:
            throw ImageDecodeError(.oversizedImage, "libwebp ran out of memory while \(operation)")
        default:
            throw ImageDecodeError(.corruptImage, "WebP bitstream error while \(operation) (status \(status.rawValue))")
        }
    }
}
