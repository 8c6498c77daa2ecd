import Foundation

/// Computes `ImageFeatures` from an image file's bytes: exact content hash, size and format, and the perceptual
/// hashes of four views (as is, mirrored, uniform borders trimmed, central 90%) plus the pHashes of off-centre
/// crops (`FeatureOptions.cropShares`), so padded, letterboxed, mirrored and cropped copies match. JPEGs decode at a reduced power-of-two DCT scale (see `FeatureOptions`).
public enum FeatureExtractor {
    /// Features of one image file.
    /// - Throws: `ImageDecodeError` when the bytes are empty, not an image, corrupt or over the pixel cap.
    public static func features(of data: Data, options: FeatureOptions = FeatureOptions()) throws(ImageDecodeError) -> ImageFeatures {
        var minimumSide = options.decodeMinimumSide
        if let target = minimumSide, let size = JPEGDimensions.read(data) {
            minimumSide = JPEGDimensions.powerOfTwoMinimumSide(width: size.width, height: size.height, target: target)
        }
        let decoded = try ImageDecoder.decode(data, options: DecodeOptions(maxPixels: options.maxPixels, minimumSide: minimumSide, grayscale: true))
        return features(of: decoded, contentHash: ContentHash(of: data), byteCount: data.count, options: options)
    }

    /// Features of an image already decoded (`contentHash` and `byteCount` describe its file).
    public static func features(of decoded: DecodedImage, contentHash: ContentHash, byteCount: Int, options: FeatureOptions = FeatureOptions()) -> ImageFeatures {
        let plane = GrayPlane(decoded)
        let views = PerceptualHasher.views(of: plane)
        var trimmed: (original: PerceptualHashes, mirrored: PerceptualHashes)?
        var content = plane
        if let trimmer = options.trimmer, let rect = trimmer.contentRect(gray: plane.gray, width: plane.width, height: plane.height) {
            content = plane.cropped(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
            trimmed = PerceptualHasher.views(of: content)
        }
        var crops: [UInt64] = []
        crops.reserveCapacity(9 * options.cropShares.count)
        var centrePHash: UInt64?
        let intermediate = options.cropShares.isEmpty ? nil : CropIntermediate(content)
        for share in options.cropShares {
            let grid = gridCropPHashes(of: content, share: share, intermediate: intermediate)
            // The grid's centre crop at the centred view's share is that view: its pHash serves both (resized
            // through the intermediate as the crops are).
            if share == options.centerShare, centrePHash == nil { centrePHash = grid[4] }
            crops += grid
        }
        let centered = options.centerShare.map { share in
            let view = center(of: content, share: share)
            let phash = centrePHash ?? DCTHash.phash(view, exact: false).hash
            let pdq = PDQHasher.hash(view)
            return PerceptualHashes(phash: phash, dhash: DCTHash.dhash(view, exact: false).hash, pdq: pdq.hash, pdqQuality: pdq.quality)
        }
        return ImageFeatures(
            contentHash: contentHash, byteCount: byteCount, format: decoded.format,
            width: decoded.width, height: decoded.height,
            hashes: views.original, mirrored: views.mirrored, trimmed: trimmed?.original,
            trimmedMirrored: trimmed?.mirrored, centered: centered,
            cropPHashes: crops)
    }

    /// Largest side of the intermediate the crop views are resampled from (see `gridCropPHashes`).
    static let cropIntermediateSide = 64

    /// The 8-bit luma the crop views are resampled from: the plane resized (`LanczosResampler.fastResize`) to at
    /// most `cropIntermediateSide` on each axis (an axis already within it is left alone).
    struct CropIntermediate {
        var pixels: [UInt8]
        var width: Int
        var height: Int
        /// Intermediate pixels per plane pixel along x and y.
        var scaleX: Double
        var scaleY: Double

        init(_ plane: GrayPlane) {
            width = min(plane.width, FeatureExtractor.cropIntermediateSide)
            height = min(plane.height, FeatureExtractor.cropIntermediateSide)
            pixels = LanczosResampler.fastResize(
                plane.gray, stride: plane.width, x: 0, y: 0, width: plane.width, height: plane.height,
                outWidth: width, outHeight: height)
            scaleX = Double(width) / Double(plane.width)
            scaleY = Double(height) / Double(plane.height)
        }
    }

    /// The pHashes of nine crops keeping `share` of each side: at the corners, the middles of the edges and the
    /// centre, row by row from the top left. Only the 8-bit plane is read (pHash reads nothing else).
    ///
    /// The plane is first resized to a `CropIntermediate` (at most 64x64, shared by all crops and shares); each
    /// crop's rectangle of it, in fractional intermediate pixels, is then resized to 32x32 as Pillow's resize with
    /// a `box` does (horizontal pass, then vertical; 14-bit weights). The crops of one column share their
    /// horizontal pass, which runs once over the intermediate's full height; each crop's vertical pass reads its
    /// rows. Integer sums, so this is bit-identical to resizing each crop on its own (tested). Against resizing
    /// each crop of the full plane directly, the crops cost a fraction of the work and their pHashes differ by
    /// a bit or two (tested); the near-duplicate benchmark scores the same (BENCHMARKS.md).
    static func gridCropPHashes(of plane: GrayPlane, share: Double, intermediate: CropIntermediate? = nil) -> [UInt64] {
        let share = min(max(share, 0.05), 1)
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        let xs = [0, (plane.width - w) / 2, plane.width - w], ys = [0, (plane.height - h) / 2, plane.height - h]
        var codes = [UInt64](repeating: 0, count: 9)
        let source = intermediate ?? CropIntermediate(plane)
        let verticals = ys.map { y in
            LanczosResampler.fastTaps(
                inSize: source.height, box: Double(y) * source.scaleY...Double(y + h) * source.scaleY, outSize: 32)
        }
        var strip = [UInt8](repeating: 0, count: 32 * source.height)
        var small = [UInt8](repeating: 0, count: 32 * 32)
        source.pixels.withUnsafeBufferPointer { src in
            for (column, x) in xs.enumerated() {
                let horizontal = LanczosResampler.fastTaps(
                    inSize: source.width, box: Double(x) * source.scaleX...Double(x + w) * source.scaleX, outSize: 32)
                strip.withUnsafeMutableBufferPointer { band in
                    LanczosResampler.fastHorizontal(
                        src.baseAddress!, stride: source.width, width: source.width, rows: source.height,
                        taps: horizontal, into: band.baseAddress!)
                }
                for row in 0..<3 {
                    strip.withUnsafeBufferPointer { band in
                        small.withUnsafeMutableBufferPointer { out in
                            LanczosResampler.fastVertical(
                                band.baseAddress!, stride: 32, width: 32, firstRow: 0, taps: verticals[row],
                                into: out.baseAddress!)
                        }
                    }
                    codes[row * 3 + column] = DCTHash.bits(DCTHash.coefficients(luma32x32: small))
                }
            }
        }
        return codes
    }

    /// The central `share` of each side of a plane.
    static func center(of plane: GrayPlane, share: Double) -> GrayPlane {
        let share = min(max(share, 0.05), 1)
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        return plane.cropped(x: (plane.width - w) / 2, y: (plane.height - h) / 2, width: w, height: h)
    }

}
