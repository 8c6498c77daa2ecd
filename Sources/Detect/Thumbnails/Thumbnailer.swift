import Foundation
internal import CTurboJPEG

/// Why a thumbnail could not be made.
public struct ThumbnailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step that failed: `arguments`, `decode` or `encode`.
    public var operation: String
    public var message: String

    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "thumbnail \(operation): \(message)" }
}

/// Small JPEG thumbnails for the HTML report: an area-average downscale, then TurboJPEG compression.
public enum Thumbnailer {
    /// Encodes `image` as a JPEG whose longer side is at most `maxSide` pixels.
    ///
    /// Images already that small are encoded as they are; larger ones are first shrunk with an area-average box
    /// filter, which is cheap and does not alias the way nearest-neighbour sampling does.
    /// - Parameters:
    ///   - maxSide: Largest width or height of the thumbnail, at least 1.
    ///   - quality: JPEG quality from 1 to 100.
    /// - Throws: `ThumbnailError` for out-of-range arguments or when TurboJPEG fails.
    public static func jpeg(from image: PixelImage, maxSide: Int = 128, quality: Int = 75) throws(ThumbnailError) -> Data {
        guard maxSide >= 1 else { throw ThumbnailError("arguments", "maxSide must be at least 1, got \(maxSide)") }
        guard (1...100).contains(quality) else { throw ThumbnailError("arguments", "quality must be 1...100, got \(quality)") }
        guard image.width > 0, image.height > 0 else { throw ThumbnailError("arguments", "the image has no pixels") }
        return try encode(downscale(image, maxSide: maxSide), quality: quality)
    }

    /// Decodes image bytes at a reduced DCT scale, then makes a JPEG thumbnail of at most `maxSide` pixels a side.
    /// - Throws: `ImageDecodeError` when the bytes are not a decodable image, `ThumbnailError` when encoding fails.
    public static func jpeg(fromImageData data: Data, maxSide: Int = 128, quality: Int = 75) throws -> Data {
        guard maxSide >= 1 else { throw ThumbnailError("arguments", "maxSide must be at least 1, got \(maxSide)") }
        let decoded = try ImageDecoder.decode(data, options: DecodeOptions(minimumSide: maxSide))
        return try jpeg(from: decoded.pixels, maxSide: maxSide, quality: quality)
    }

    /// The size `width`×`height` takes when its longer side is brought down to `maxSide` (never up).
    public static func fittedSize(width: Int, height: Int, maxSide: Int) -> (width: Int, height: Int) {
        let longer = max(width, height)
        guard longer > maxSide else { return (width, height) }
        let scale = Double(maxSide) / Double(longer)
        return (
            max(1, min(maxSide, Int((Double(width) * scale).rounded()))),
            max(1, min(maxSide, Int((Double(height) * scale).rounded())))
        )
    }

    /// Shrinks `image` so its longer side is at most `maxSide`, each output pixel the area-weighted mean of the
    /// source pixels it covers.
    public static func downscale(_ image: PixelImage, maxSide: Int) -> PixelImage {
        let (width, height) = fittedSize(width: image.width, height: image.height, maxSide: maxSide)
        if width == image.width, height == image.height { return image }
        let channels = image.channels
        let columns = boxWeights(source: image.width, target: width)
        let rows = boxWeights(source: image.height, target: height)
        // Horizontal pass into floats, then vertical pass: separable, so each source pixel is read once per pass.
        let rowLength = width * channels
        var horizontal = [Float](repeating: 0, count: rowLength * image.height)
        var output = [UInt8](repeating: 0, count: rowLength * height)
        image.pixels.withUnsafeBufferPointer { source in
            horizontal.withUnsafeMutableBufferPointer { middle in
                for y in 0..<image.height {
                    let sourceRow = y * image.width * channels
                    let targetRow = y * rowLength
                    for x in 0..<width {
                        let target = targetRow + x * channels
                        for (index, weight) in columns[x] {
                            let s = sourceRow + index * channels
                            for c in 0..<channels { middle[target + c] += Float(source[s + c]) * weight }
                        }
                    }
                }
                output.withUnsafeMutableBufferPointer { out in
                    var accumulator = [Float](repeating: 0, count: rowLength)
                    accumulator.withUnsafeMutableBufferPointer { sum in
                        for y in 0..<height {
                            for i in 0..<rowLength { sum[i] = 0 }
                            for (index, weight) in rows[y] {
                                let base = index * rowLength
                                for i in 0..<rowLength { sum[i] += middle[base + i] * weight }
                            }
                            for i in 0..<rowLength { out[y * rowLength + i] = UInt8(max(0, min(255, sum[i].rounded()))) }
                        }
                    }
                }
            }
        }
        return PixelImage(width: width, height: height, channels: channels, pixels: output)
    }

    /// For each target index, the source indices it covers and their normalised coverage weights.
    static func boxWeights(source: Int, target: Int) -> [[(Int, Float)]] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { t in
            let start = Double(t) * scale
            let end = Double(t + 1) * scale
            var weights: [(Int, Float)] = []
            var index = Int(start)
            while Double(index) < end, index < source {
                let covered = min(end, Double(index + 1)) - max(start, Double(index))
                if covered > 1e-9 { weights.append((index, Float(covered / scale))) }
                index += 1
            }
            return weights
        }
    }

    /// Compresses pixels with `tjCompress2`; 4:2:0 chroma for colour, a single channel for gray.
    static func encode(_ image: PixelImage, quality: Int) throws(ThumbnailError) -> Data {
        guard let handle = tjInitCompress() else { throw ThumbnailError("encode", "TurboJPEG could not start a compressor") }
        defer { tjDestroy(handle) }
        let gray = image.channels == 1
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            tjCompress2(
                handle, pixels.baseAddress, Int32(image.width), Int32(image.width * image.channels), Int32(image.height),
                gray ? TJPF_GRAY.rawValue : TJPF_RGB.rawValue, &buffer, &size,
                Int32(gray ? TJSAMP_GRAY.rawValue : TJSAMP_420.rawValue), Int32(quality), 0)
        }
        defer { if let buffer { tjFree(buffer) } }
        guard status == 0, let buffer, size > 0 else {
            throw ThumbnailError("encode", "tjCompress2: \(String(cString: tjGetErrorStr2(handle)))")
        }
        return Data(bytes: buffer, count: Int(size))
    }
}
