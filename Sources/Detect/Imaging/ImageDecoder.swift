import Foundation
internal import CTurboJPEG

/// Why an image could not be decoded; `kind` is what `stats.json` counts.
public struct ImageDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: ProblemKind
    public var message: String

    public init(_ kind: ProblemKind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// How to decode.
public struct DecodeOptions: Sendable, Hashable {
    /// Images with more pixels than this are refused before any pixel is decoded (decompression bombs).
    public var maxPixels: Int
    /// When set, JPEGs are decoded at the smallest DCT scale whose shorter side is still at least this many pixels.
    public var minimumSide: Int?

    public init(maxPixels: Int = 100_000_000, minimumSide: Int? = nil) {
        self.maxPixels = maxPixels
        self.minimumSide = minimumSide
    }
}

/// A decoded image with the facts about the file it came from.
public struct DecodedImage: Sendable, Hashable {
    public var format: ImageFormat
    /// Full size of the image as stored (before any DCT scaling), after EXIF orientation.
    public var width: Int
    public var height: Int
    /// The decoded pixels, possibly scaled down, orientation applied.
    public var pixels: PixelImage
}

/// Decodes JPEG, PNG and WebP bytes through the system C libraries.
public enum ImageDecoder {
    /// The format named by the file's magic bytes.
    public static func sniff(_ data: Data) -> ImageFormat {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if data.count >= 12, data.prefix(4).elementsEqual("RIFF".utf8), data.dropFirst(8).prefix(4).elementsEqual("WEBP".utf8) {
            return .webp
        }
        return .unknown
    }

    /// Decodes `data` to gray or RGB pixels.
    public static func decode(_ data: Data, options: DecodeOptions = DecodeOptions()) throws(ImageDecodeError) -> DecodedImage {
        if data.isEmpty { throw ImageDecodeError(.emptyImage, "the file is empty") }
        switch sniff(data) {
        case .jpeg: return try decodeJPEG(data, options: options)
        default: throw ImageDecodeError(.unsupportedFormat, "not a JPEG, PNG or WebP file")
        }
    }

    static func decodeJPEG(_ data: Data, options: DecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        guard let handle = tjInitDecompress() else { throw ImageDecodeError(.corruptImage, "TurboJPEG could not start") }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let headerStatus = data.withUnsafeBytes { raw in
            tjDecompressHeader3(handle, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), &width, &height, &subsampling, &colorspace)
        }
        guard headerStatus == 0, width > 0, height > 0 else {
            throw ImageDecodeError(.corruptImage, "JPEG header: \(String(cString: tjGetErrorStr2(handle)))")
        }
        guard Int(width) * Int(height) <= options.maxPixels else {
            throw ImageDecodeError(.oversizedImage, "\(width)x\(height) is over the \(options.maxPixels)-pixel cap")
        }
        let (scaledWidth, scaledHeight) = scaledSize(width: Int(width), height: Int(height), minimumSide: options.minimumSide)
        let gray = colorspace == TJCS_GRAY.rawValue
        let channels = gray ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: scaledWidth * scaledHeight * channels)
        let status = data.withUnsafeBytes { raw in
            pixels.withUnsafeMutableBufferPointer { out in
                tjDecompress2(
                    handle, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), out.baseAddress,
                    Int32(scaledWidth), 0, Int32(scaledHeight), gray ? TJPF_GRAY.rawValue : TJPF_RGB.rawValue, 0)
            }
        }
        if status != 0, tjGetErrorCode(handle) == TJERR_FATAL.rawValue {
            throw ImageDecodeError(.corruptImage, "JPEG data: \(String(cString: tjGetErrorStr2(handle)))")
        }
        return DecodedImage(
            format: .jpeg, width: Int(width), height: Int(height),
            pixels: PixelImage(width: scaledWidth, height: scaledHeight, channels: channels, pixels: pixels))
    }

    /// The smallest TurboJPEG scaling whose shorter side stays at least `minimumSide`.
    static func scaledSize(width: Int, height: Int, minimumSide: Int?) -> (Int, Int) {
        guard let minimumSide else { return (width, height) }
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return (width, height) }
        var best = (width, height)
        for factor in UnsafeBufferPointer(start: factors, count: Int(count)) where factor.num <= factor.denom {
            let w = (width * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
            let h = (height * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
            if min(w, h) >= minimumSide, w * h < best.0 * best.1 { best = (w, h) }
        }
        return best
    }
}
