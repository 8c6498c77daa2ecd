import Foundation

/// Computes `ImageFeatures` from an image file's bytes: exact content hash, size and format, and the perceptual
/// hashes of four views (as is, mirrored, uniform borders trimmed, central 90%) so padded, letterboxed, mirrored
/// and cropped copies match. JPEGs decode at a reduced power-of-two DCT scale (see `FeatureOptions`).
public enum FeatureExtractor {
    /// Features of one image file.
    /// - Throws: `ImageDecodeError` when the bytes are empty, not an image, corrupt or over the pixel cap.
    public static func features(of data: Data, options: FeatureOptions = FeatureOptions()) throws(ImageDecodeError) -> ImageFeatures {
        var minimumSide = options.decodeMinimumSide
        if let target = minimumSide, let size = JPEGDimensions.read(data) {
            minimumSide = JPEGDimensions.powerOfTwoMinimumSide(width: size.width, height: size.height, target: target)
        }
        let decoded = try ImageDecoder.decode(data, options: DecodeOptions(maxPixels: options.maxPixels, minimumSide: minimumSide, grayscale: true))
        return features(of: decoded, contentHash: contentHash(of: data), byteCount: data.count, options: options)
    }

    /// Features of an image already decoded (`contentHash` and `byteCount` describe its file).
    public static func features(of decoded: DecodedImage, contentHash: ContentHash, byteCount: Int, options: FeatureOptions = FeatureOptions()) -> ImageFeatures {
        let plane = GrayPlane(decoded)
        let views = PerceptualHasher.views(of: plane)
        var trimmed: PerceptualHashes?
        var content = plane
        if let trimmer = options.trimmer, let rect = trimmer.contentRect(gray: plane.gray, width: plane.width, height: plane.height) {
            content = plane.cropped(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
            trimmed = PerceptualHasher.views(of: content).original
        }
        let centered = options.centerShare.map { PerceptualHasher.views(of: center(of: content, share: $0)).original }
        return ImageFeatures(
            contentHash: contentHash, byteCount: byteCount, format: decoded.format,
            width: decoded.width, height: decoded.height,
            hashes: views.original, mirrored: views.mirrored, trimmed: trimmed, centered: centered)
    }

    /// The central `share` of each side of a plane.
    static func center(of plane: GrayPlane, share: Double) -> GrayPlane {
        let share = min(max(share, 0.05), 1)
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        return plane.cropped(x: (plane.width - w) / 2, y: (plane.height - h) / 2, width: w, height: h)
    }

    /// XXH3-128 of the bytes.
    public static func contentHash(of data: Data) -> ContentHash { ContentHash(of: data) }
}
