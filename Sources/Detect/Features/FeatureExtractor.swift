import Foundation
internal import CXXHash

/// How `FeatureExtractor` decodes and which views it hashes.
public struct FeatureOptions: Sendable, Hashable {
    /// The decoder's pixel cap (decompression bombs are refused before decoding).
    public var maxPixels: Int
    /// JPEGs are decoded by TurboJPEG's DCT scaling at the largest power-of-two reduction (1/2, 1/4, 1/8: its fast
    /// paths; 3/8 or 5/8 decode slower than full size) whose shorter side is still at least this; nil decodes at
    /// full size, where pHash, dHash and PDQ equal imagehash and the PDQ reference bit for bit.
    /// Measured (Tests/DetectTests/Hashes/DecodeScaleReport.swift, CURATE_HASH_SCALE_REPORT=1; fixture photos
    /// against full-size references, mean / max bits): 128: pHash 0.5/4, dHash 0.2/3, PDQ 4.7/30 (textures);
    /// 192: pHash 0.25/4, dHash 0.3/4, PDQ 1.8/12; 256: 0/0, 0.1/4, 0.6/4. On the near-duplicate benchmark
    /// (scripts/eval-neardup.py) 128 and 192 score the same pair F1 (0.850 vs 0.847), and 128 extracts features
    /// ~1.3x faster (scripts/bench-hash.sh): 128 is the default. PDQ's drift from the reference at 128 stays far
    /// below its match threshold (~31 of 256 bits).
    public var decodeMinimumSide: Int?
    /// Detects uniform borders and hashes the content inside them as the `trimmed` view.
    public var trimmer: BorderTrimmer?
    /// Share of each side kept for the `centered` view (crops of the image match it); nil skips the view.
    /// 0.9 measured best on scripts/make-neardup-eval.py's benchmark (overall pair F1 0.79 -> 0.85; 0.8 gave 0.82).
    public var centerShare: Double?

    public init(
        maxPixels: Int = 100_000_000, decodeMinimumSide: Int? = FeatureOptions.defaultDecodeMinimumSide,
        trimmer: BorderTrimmer? = BorderTrimmer(), centerShare: Double? = 0.9
    ) {
        self.maxPixels = maxPixels
        self.decodeMinimumSide = decodeMinimumSide
        self.trimmer = trimmer
        self.centerShare = centerShare
    }

    /// The measured default for `decodeMinimumSide`.
    public static let defaultDecodeMinimumSide: Int? = 128
}

/// Computes `ImageFeatures` from an image file's bytes: exact content hash, size and format, and the perceptual
/// hashes of three views (as is, mirrored, borders trimmed) so padded, letterboxed and mirrored copies match.
public enum FeatureExtractor {
    /// Features of one image file.
    /// - Throws: `ImageDecodeError` when the bytes are empty, not an image, corrupt or over the pixel cap.
    public static func features(of data: Data, options: FeatureOptions = FeatureOptions()) throws(ImageDecodeError) -> ImageFeatures {
        var minimumSide = options.decodeMinimumSide
        if let target = minimumSide, let size = JPEGDimensions.read(data) {
            minimumSide = JPEGDimensions.powerOfTwoMinimumSide(width: size.width, height: size.height, target: target)
        }
        let decoded = try ImageDecoder.decode(data, options: DecodeOptions(maxPixels: options.maxPixels, minimumSide: minimumSide))
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
    public static func contentHash(of data: Data) -> ContentHash {
        let h = data.withUnsafeBytes { raw in XXH3_128bits(raw.baseAddress, raw.count) }
        return ContentHash(high: h.high64, low: h.low64)
    }
}
