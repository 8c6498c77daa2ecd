internal import CResample
import Foundation

#if arch(x86_64)
internal import _Builtin_intrinsics.intel
#endif

/// Computes `ImageFeatures` from an image file's bytes: exact content hash, size and format, and the perceptual
/// hashes of four views (as is, mirrored, uniform borders trimmed, central 90%) plus the pHashes of off-centre
/// crops (`FeatureOptions.cropShares`) and of slightly turned views (`FeatureOptions.rotationDegrees`), and the
/// hashes of the picture inside a page (`FeatureOptions.insetView`), so padded, letterboxed, mirrored, cropped and
/// rotated copies and screenshots match. JPEGs decode at a reduced power-of-two DCT scale (see `FeatureOptions`).
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
        let views = PerceptualHasher.views(of: plane, orientations: options.orientationViews)
        var trimmed: (original: PerceptualHashes, mirrored: PerceptualHashes, orientations: [UInt64])?
        var content = plane
        var contentSize: (width: Int, height: Int)?
        var inset: UInt64?
        var insetShare: Double?
        if let trimmer = options.trimmer {
            let rect = trimmer.contentRect(gray: plane.gray, width: plane.width, height: plane.height)
            // The trimmed views leave out a detached caption too; the crop and turned views keep the whole content.
            let hashed = options.cutsCaptions
                ? trimmer.uncaptionedRect(gray: plane.gray, width: plane.width, height: plane.height, content: rect)
                : rect
            if let rect {
                content = plane.cropped(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
                // The plane may be a DCT-scaled decode: the content's size in the image's own pixels.
                contentSize = (
                    (rect.width * decoded.width + plane.width / 2) / plane.width,
                    (rect.height * decoded.height + plane.height / 2) / plane.height
                )
            }
            if let hashed, let rect, hashed == rect {
                trimmed = PerceptualHasher.views(of: content)
            } else if let hashed {
                trimmed = PerceptualHasher.views(
                    of: plane.cropped(x: hashed.x, y: hashed.y, width: hashed.width, height: hashed.height))
            }
            if options.insetView,
                let page = (options.framedInset
                    ? trimmer.framedRect(gray: plane.gray, width: plane.width, height: plane.height) : nil)
                    ?? trimmer.insetRect(gray: plane.gray, width: plane.width, height: plane.height),
                !Self.nearlySame(page, rect ?? (0, 0, plane.width, plane.height))
            {
                let picture = plane.cropped(x: page.x, y: page.y, width: page.width, height: page.height)
                inset = DCTHash.phash(picture, exact: false).hash
                insetShare = Double(page.width * page.height) / Double(plane.width * plane.height)
            }
        }
        var crops: [UInt64] = []
        crops.reserveCapacity(9 * options.cropShares.count)
        var centrePHash: UInt64?
        let intermediate =
            options.cropShares.isEmpty && options.rotationDegrees.isEmpty ? nil : CropIntermediate(content)
        // Flat views (sky, a plain backdrop, a smooth gradient) are left out: their pHashes only tell the direction
        // of the gradient, so views of unrelated flat regions match each other.
        let textured = { (view: CropView) in view.texture >= options.minimumViewTexture }
        for share in options.cropShares {
            let grid = gridCropViews(of: content, share: share, intermediate: intermediate)
            // The grid's centre crop at the centred view's share is that view: its pHash serves both (resized
            // through the intermediate as the crops are).
            if share == options.centerShare, centrePHash == nil { centrePHash = grid[4].code }
            crops += grid.filter(textured).map(\.code)
        }
        if let source = intermediate {
            for aspect in options.centreCropAspects {
                if let view = centreCrop(of: source, aspect: aspect), textured(view) { crops.append(view.code) }
            }
        }
        let rotationSource = options.rotationDegrees.isEmpty ? nil
            : isBand(content, of: plane) ? CropIntermediate(plane) : intermediate
        let rotations = rotationSource.map { source in
            options.rotationDegrees.map { rotatedPHash(of: source, degrees: $0, share: options.rotationShare) }
                .filter(textured).map(\.code)
        } ?? []
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
            cropPHashes: crops, rotatedPHashes: rotations,
            orientedPHashes: views.orientations, insetPHash: inset, insetShare: insetShare,
            trimmedSize: contentSize)
    }

    /// Whether the trimmed `content` keeps 95% or more of the plane's width or height: the border was a band along
    /// one axis (a plain sky or floor, letterboxing), not a frame around a picture (a page, a product on white).
    /// The turned views then turn the whole image, as a turned copy does: turning only the content left the
    /// copies of photos with a plain band apart. Around a frame the content is turned instead, since a turned page
    /// shows its layout, which other pages of that layout share. Measured with NearDuplicateClusterEval (encoding
    /// 12): rotated copies' F1 on the held-out set 0.916 -> 0.977, the benchmark 0.936 -> 0.968, the second unseen
    /// set 0.842 -> 0.880 and the unseen set 0.968 -> 0.971, whole-set F1 unchanged or +0.001; page layouts 0.579
    /// -> 0.575 (two near-identical source photos meet). Turning the whole image after any trim gave held-out
    /// 0.990 but page layouts 0.563: pages of the article layout met.
    static func isBand(_ content: GrayPlane, of plane: GrayPlane) -> Bool {
        (content.width != plane.width || content.height != plane.height)
            && (content.width * 100 >= plane.width * 95 || content.height * 100 >= plane.height * 95)
    }

    /// Two rectangles within 2% of each other's size on every edge.
    static func nearlySame(
        _ a: (x: Int, y: Int, width: Int, height: Int), _ b: (x: Int, y: Int, width: Int, height: Int)
    ) -> Bool {
        let dx = max(2, max(a.width, b.width) / 50), dy = max(2, max(a.height, b.height) / 50)
        return abs(a.x - b.x) <= dx && abs(a.y - b.y) <= dy && abs(a.x + a.width - b.x - b.width) <= dx
            && abs(a.y + a.height - b.y - b.height) <= dy
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

        /// The intermediate turned by `degrees` about its centre (the sign picks the direction), bilinear in 16.16
        /// fixed point, edges clamped (`curate_rotate_rows`; `allowAVX2: false` lets tests compare its two loops).
        /// The turn happens in plane pixels: each axis is scaled back by its own factor first, so a non-square plane
        /// squeezed into the intermediate still turns as the image does.
        func rotated(degrees: Double, allowAVX2: Bool = true) -> CropIntermediate {
            let radians = degrees * .pi / 180
            let c = cos(radians), s = sin(radians)
            let cx = Double(width) / 2, cy = Double(height) / 2
            // The source point of output (u, v) is the output point turned back; it moves by a fixed step along u.
            let one = Double(1 << 16)
            let stepX = Int32((c * one).rounded()), stepY = Int32((s * scaleY / scaleX * one).rounded())
            var rowX = [Int32](repeating: 0, count: height), rowY = [Int32](repeating: 0, count: height)
            for v in 0..<height {
                let dy = (Double(v) + 0.5 - cy) / scaleY, dx = (0.5 - cx) / scaleX
                rowX[v] = Int32((((c * dx - s * dy) * scaleX + cx - 0.5) * one).rounded())
                rowY[v] = Int32((((s * dx + c * dy) * scaleY + cy - 0.5) * one).rounded())
            }
            // The source with its last column and row repeated once more and 4 bytes of slack.
            let w = width, paddedWidth = width + 1, paddedCount = paddedWidth * (height + 1) + 4
            let padded = [UInt8](unsafeUninitializedCapacity: paddedCount) { rows, count in
                pixels.withUnsafeBufferPointer { pixels in
                    for v in 0...height {
                        let row = pixels.baseAddress! + min(v, height - 1) * w
                        (rows.baseAddress! + v * paddedWidth).initialize(from: row, count: w)
                        rows[v * paddedWidth + w] = row[w - 1]
                    }
                }
                (rows.baseAddress! + paddedCount - 4).initialize(repeating: 0, count: 4)
                count = paddedCount
            }
            var out = self
            out.pixels = [UInt8](unsafeUninitializedCapacity: w * height) { turned, count in
                curate_rotate_rows(
                    padded, Int32(paddedWidth), Int32(w), Int32(height), rowX, rowY, stepX, stepY,
                    Int32(w - 1) << 16, Int32(height - 1) << 16, turned.baseAddress!, allowAVX2)
                count = w * height
            }
            return out
        }

        /// The crop view of the box `x` by `y` (in fractional intermediate pixels) resized to 32x32.
        func cropView(x: ClosedRange<Double>, y: ClosedRange<Double>) -> CropView {
            var strip = [UInt8](repeating: 0, count: 32 * height)
            columns(LanczosResampler.fastTaps(inSize: width, box: x, outSize: 32), into: &strip)
            let rows = LanczosResampler.fastTaps(inSize: height, box: y, outSize: 32)
            return strip.withUnsafeBufferPointer { FeatureExtractor.cropPHash(strip: $0.baseAddress!, rows: rows) }
        }

        /// The horizontal pass of a crop: every row of the intermediate resampled to 32 columns over `taps`' box,
        /// into `strip` (32 x `height`).
        func columns(_ taps: LanczosResampler.FastTaps, into strip: inout [UInt8]) {
            pixels.withUnsafeBufferPointer { src in
                strip.withUnsafeMutableBufferPointer { band in
                    LanczosResampler.fastHorizontal(
                        src.baseAddress!, stride: width, width: width, rows: height, taps: taps,
                        into: band.baseAddress!)
                }
            }
        }
    }

    /// The pHash of a crop from its horizontal pass: the rows `taps` picks of `strip` (32 columns), resampled to 32
    /// rows.
    static func cropPHash(strip: UnsafePointer<UInt8>, rows taps: LanczosResampler.FastTaps) -> CropView {
        // 1 KiB of luma and 256 B of coefficients: both on the stack.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32 * 32) { small in
            let pixels = small.baseAddress!
            LanczosResampler.fastVertical(strip, stride: 32, width: 32, firstRow: 0, taps: taps, into: pixels)
            let code = withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { block in
                DCTHash.coefficients(luma32x32: pixels, into: block.baseAddress!)
                return DCTHash.bits(block.baseAddress!)
            }
            return CropView(code: code, texture: texture(of: pixels))
        }
    }

    /// A pHash view of part of the image, with how much texture its 32x32 luma held.
    struct CropView: Equatable {
        var code: UInt64
        /// Mean absolute difference of neighbouring pixels of the 32x32 luma, in luma levels (0 for a flat view).
        var texture: Double
    }

    /// Mean absolute difference of horizontally and vertically neighbouring pixels of a 32x32 luma.
    static func texture(of p: UnsafePointer<UInt8>) -> Double {
        Double(absoluteDifferences32x32(p)) / Double(2 * 31 * 32)
    }

    /// The sum of |difference| over the 31 x 32 horizontal and 32 x 31 vertical neighbour pairs of a 32x32 luma.
    static func absoluteDifferences32x32(_ p: UnsafePointer<UInt8>) -> Int {
        #if arch(x86_64)
        // SSE2's sum of absolute differences, sixteen pairs an instruction. Row halves [0, 16) against [1, 17) and
        // [15, 31) against [16, 32) cover every horizontal pair once and pair (15, 16) twice, taken off at the end.
        let raw = UnsafeRawPointer(p)
        func load(_ offset: Int) -> __m128i { _mm_loadu_si128((raw + offset).assumingMemoryBound(to: __m128i.self)) }
        var total = _mm_setzero_si128()
        var twice = 0
        for y in 0..<32 {
            let row = y * 32
            total = _mm_add_epi64(total, _mm_sad_epu8(load(row), load(row + 1)))
            total = _mm_add_epi64(total, _mm_sad_epu8(load(row + 15), load(row + 16)))
            twice += abs(Int(p[row + 15]) - Int(p[row + 16]))
            if y < 31 {
                total = _mm_add_epi64(total, _mm_sad_epu8(load(row), load(row + 32)))
                total = _mm_add_epi64(total, _mm_sad_epu8(load(row + 16), load(row + 48)))
            }
        }
        let halves = unsafeBitCast(total, to: SIMD2<Int64>.self)
        return Int(halves[0] + halves[1]) - twice
        #else
        var sum = 0
        for y in 0..<32 {
            for x in 0..<31 { sum += abs(Int(p[y * 32 + x + 1]) - Int(p[y * 32 + x])) }
        }
        for y in 0..<31 {
            for x in 0..<32 { sum += abs(Int(p[(y + 1) * 32 + x]) - Int(p[y * 32 + x])) }
        }
        return sum
        #endif
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
        gridCropViews(of: plane, share: share, intermediate: intermediate).map(\.code)
    }

    /// The views of ``gridCropPHashes(of:share:intermediate:)`` with their texture.
    static func gridCropViews(of plane: GrayPlane, share: Double, intermediate: CropIntermediate? = nil) -> [CropView] {
        let share = min(max(share, 0.05), 1)
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        let xs = [0, (plane.width - w) / 2, plane.width - w], ys = [0, (plane.height - h) / 2, plane.height - h]
        var codes = [CropView](repeating: CropView(code: 0, texture: 0), count: 9)
        let source = intermediate ?? CropIntermediate(plane)
        let verticals = ys.map { y in
            LanczosResampler.fastTaps(
                inSize: source.height, box: Double(y) * source.scaleY...Double(y + h) * source.scaleY, outSize: 32)
        }
        var strip = [UInt8](repeating: 0, count: 32 * source.height)
        for (column, x) in xs.enumerated() {
            source.columns(
                LanczosResampler.fastTaps(
                    inSize: source.width, box: Double(x) * source.scaleX...Double(x + w) * source.scaleX, outSize: 32),
                into: &strip)
            strip.withUnsafeBufferPointer { band in
                for row in 0..<3 { codes[row * 3 + column] = cropPHash(strip: band.baseAddress!, rows: verticals[row]) }
            }
        }
        return codes
    }

    /// The pHash of the central `share` of each side of the content turned by `degrees` about its centre: the
    /// intermediate is rotated (bilinear, in the content's own pixel proportions, edges clamped), then its centre
    /// crop resized to 32x32 as the crop views are, so an unturned copy's crop view at that share compares like
    /// with like.
    static func rotatedPHash(of source: CropIntermediate, degrees: Double, share: Double) -> CropView {
        let turned = source.rotated(degrees: degrees)
        let share = min(max(share, 0.05), 1)
        let w = Double(turned.width) * share, h = Double(turned.height) * share
        let x = (Double(turned.width) - w) / 2, y = (Double(turned.height) - h) / 2
        return turned.cropView(x: x...x + w, y: y...y + h)
    }

    /// The content's largest centred crop of `aspect` (width / height), resized to 32x32 as the crop views are; nil
    /// when it keeps more than 87% of the content's width or height (the whole view and the crop grid stand for it)
    /// or less than 40% (a sliver no pipeline keeps).
    static func centreCrop(of source: CropIntermediate, aspect: Double) -> CropView? {
        // The content's proportions, from the intermediate's size and its scale on each axis.
        let width = Double(source.width) / source.scaleX, height = Double(source.height) / source.scaleY
        let cropWidth = min(width, height * aspect), cropHeight = min(height, width / aspect)
        let kept = min(cropWidth / width, cropHeight / height)
        guard kept <= 1 / 1.15, kept >= 0.4 else { return nil }
        let x = (width - cropWidth) / 2 * source.scaleX, y = (height - cropHeight) / 2 * source.scaleY
        return source.cropView(x: x...x + cropWidth * source.scaleX, y: y...y + cropHeight * source.scaleY)
    }

    /// The central `share` of each side of a plane.
    static func center(of plane: GrayPlane, share: Double) -> GrayPlane {
        let share = min(max(share, 0.05), 1)
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        return plane.cropped(x: (plane.width - w) / 2, y: (plane.height - h) / 2, width: w, height: h)
    }

}
