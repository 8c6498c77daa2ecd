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
        var trimmed: PerceptualHashes?
        var content = plane
        if let trimmer = options.trimmer, let rect = trimmer.contentRect(gray: plane.gray, width: plane.width, height: plane.height) {
            content = plane.cropped(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
            trimmed = PerceptualHasher.views(of: content).original
        }
        let centered = options.centerShare.map { PerceptualHasher.views(of: center(of: content, share: $0)).original }
        let crops = options.cropShares.flatMap { share in
            // The grid's centre crop at the centred view's share is that view: reuse its pHash.
            let reuse = share == options.centerShare ? centered?.phash : nil
            return gridCropPHashes(of: content, share: share, centre: reuse)
        }
        return ImageFeatures(
            contentHash: contentHash, byteCount: byteCount, format: decoded.format,
            width: decoded.width, height: decoded.height,
            hashes: views.original, mirrored: views.mirrored, trimmed: trimmed, centered: centered,
            cropPHashes: crops)
    }

    /// The pHashes of nine crops keeping `share` of each side: at the corners, the middles of the edges and the
    /// centre, row by row from the top left. Only the 8-bit plane is cropped (pHash reads nothing else); equal to
    /// `DCTHash.phash(plane.cropped(...)).hash`. `centre`, when given, is used for the centre crop.
    static func gridCropPHashes(of plane: GrayPlane, share: Double, centre: UInt64? = nil) -> [UInt64] {
        let share = min(max(share, 0.05), 1)
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        let xs = [0, (plane.width - w) / 2, plane.width - w], ys = [0, (plane.height - h) / 2, plane.height - h]
        var codes = [UInt64](repeating: 0, count: 9)
        // Pillow resizes horizontally first, row by row: the three crops of one column share their horizontal
        // pass, so it runs once over the column's full height and each crop's vertical pass reads its rows.
        // Bit-identical to resizing each crop on its own (tested), at a third of the horizontal work.
        let shared = w != 32 && h != 32
        let vertical = shared ? LanczosResampler.taps(inSize: h, outSize: 32) : nil
        var band = [UInt8](repeating: 0, count: w * plane.height)
        for (column, x) in xs.enumerated() {
            var strip: [UInt8] = []
            if shared {
                plane.gray.withUnsafeBufferPointer { source in
                    band.withUnsafeMutableBufferPointer { target in
                        for row in 0..<plane.height {
                            let s = row * plane.width + x
                            for col in 0..<w { target[row * w + col] = source[s + col] }
                        }
                    }
                }
                strip = LanczosResampler.horizontalPass(band, width: w, rows: 0..<plane.height, outWidth: 32)
            }
            for (row, y) in ys.enumerated() {
                if let centre, x == xs[1], y == ys[1] {
                    codes[row * 3 + column] = centre
                    continue
                }
                let small: [UInt8]
                if let vertical {
                    small = LanczosResampler.verticalPass(strip, sourceWidth: 32, shift: -y, taps: vertical)
                } else {
                    let crop = plane.cropped(x: x, y: y, width: w, height: h)
                    small = LanczosResampler.resize(crop.gray, width: w, height: h, outWidth: 32, outHeight: 32)
                }
                codes[row * 3 + column] = DCTHash.bits(DCTHash.coefficients(luma32x32: small))
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
