internal import CWebP
import Foundation

/// WebP decoding through libwebp: lossy and lossless, alpha composited over white, EXIF orientation from the
/// extended format's `EXIF` chunk. An animated WebP decodes to its first frame (what a still thumbnail shows),
/// without the demux library: the first `ANMF` chunk's frame data is rewrapped as a still WebP.
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
        let width = Int(features.width), height = Int(features.height)
        try options.checkPixelCap(width: width, height: height, format: .webp)
        if features.has_animation != 0 {
            return try firstFrame(bytes, canvasWidth: width, canvasHeight: height, options: options)
        }

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

    /// The first frame of an animated WebP, placed on a white canvas of the animation's size.
    ///
    /// Frames of an animation may be smaller than the canvas and offset; the first frame of files written by
    /// libwebp covers the whole canvas, but any offset is honoured. Later frames are not read.
    static func firstFrame(
        _ bytes: UnsafeRawBufferPointer, canvasWidth: Int, canvasHeight: Int, options: DecodeOptions
    ) throws(ImageDecodeError) -> DecodedImage {
        // libwebp checks the RIFF size of a still image; only the first frame is read here, so check it for all.
        let riffSize = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        guard riffSize <= bytes.count - 8 else {
            throw ImageDecodeError(
                .truncatedImage, "animated WebP ends early (\(bytes.count) of \(riffSize + 8) bytes)")
        }
        guard let frame = chunk("ANMF", in: bytes) else {
            throw ImageDecodeError(.truncatedImage, "animated WebP ends before its first frame")
        }
        guard frame.count >= 16 + 8 else {
            throw ImageDecodeError(.corruptImage, "animated WebP frame header is too short")
        }
        func uint24(_ offset: Int) -> Int {
            let at = frame.lowerBound + offset
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16
        }
        let x = 2 * uint24(0), y = 2 * uint24(3), frameWidth = 1 + uint24(6), frameHeight = 1 + uint24(9)
        guard x + frameWidth <= canvasWidth, y + frameHeight <= canvasHeight else {
            throw ImageDecodeError(
                .corruptImage,
                "animated WebP frame \(frameWidth)x\(frameHeight) at (\(x), \(y)) overflows its \(canvasWidth)x\(canvasHeight) canvas"
            )
        }
        // Rewrap the frame's chunks (optional ALPH, then VP8 or VP8L) as a still extended-format WebP.
        let frameData = UnsafeRawBufferPointer(rebasing: bytes[(frame.lowerBound + 16)..<frame.upperBound])
        let hasAlpha = chunk("ALPH", in: frameData, from: 0) != nil
        var still = Data("RIFF".utf8)
        func appendLE(_ value: Int, _ count: Int) {
            for index in 0..<count { still.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
        }
        appendLE(4 + 18 + frameData.count, 4)
        still += Data("WEBPVP8X".utf8)
        appendLE(10, 4)
        still += [hasAlpha ? 0x10 : 0x00, 0, 0, 0]
        appendLE(frameWidth - 1, 3)
        appendLE(frameHeight - 1, 3)
        still += Data(frameData)
        // The rewrapped file has no animation flag, so this cannot recurse again.
        let result: Result<DecodedImage, ImageDecodeError> = still.withUnsafeBytes { stillBytes in
            Result { () throws(ImageDecodeError) -> DecodedImage in try decode(stillBytes, options: options) }
        }
        let decoded = try result.get()
        guard decoded.width == frameWidth, decoded.height == frameHeight else {
            throw ImageDecodeError(.corruptImage, "animated WebP frame size disagrees with its bitstream")
        }
        var pixels = decoded.pixels
        if frameWidth != canvasWidth || frameHeight != canvasHeight {
            var canvas = [UInt8](repeating: 255, count: canvasWidth * canvasHeight * 3)
            let rowBytes = frameWidth * 3
            canvas.withUnsafeMutableBufferPointer { out in
                pixels.pixels.withUnsafeBufferPointer { source in
                    guard let destination = out.baseAddress, let origin = source.baseAddress else { return }
                    for row in 0..<frameHeight {
                        let target = destination + ((y + row) * canvasWidth + x) * 3
                        target.update(from: origin + row * rowBytes, count: rowBytes)
                    }
                }
            }
            pixels = PixelImage(width: canvasWidth, height: canvasHeight, channels: 3, pixels: canvas)
        }
        pixels = pixels.oriented(exifOrientation(bytes) ?? .identity)
        return DecodedImage(format: .webp, width: pixels.width, height: pixels.height, pixels: pixels)
    }

    /// The payload range of the first chunk named `fourCC` in a RIFF chunk sequence starting at `start`.
    static func chunk(_ fourCC: String, in bytes: UnsafeRawBufferPointer, from start: Int = 12) -> Range<Int>? {
        var offset = start
        while offset <= bytes.count - 8 {
            let size =
                Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16
                | Int(bytes[offset + 7]) << 24
            let payload = offset + 8
            guard size <= bytes.count - payload else { return nil }
            if bytes[offset..<offset + 4].elementsEqual(fourCC.utf8) { return payload..<payload + size }
            offset = payload + size + (size & 1)
        }
        return nil
    }

    /// The orientation in the first `EXIF` chunk of a RIFF/WebP file, walking chunk headers with bounds checks.
    static func exifOrientation(_ bytes: UnsafeRawBufferPointer) -> EXIFOrientation? {
        guard let range = chunk("EXIF", in: bytes) else { return nil }
        return EXIFOrientation.parse(tiff: UnsafeRawBufferPointer(rebasing: bytes[range]))
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
