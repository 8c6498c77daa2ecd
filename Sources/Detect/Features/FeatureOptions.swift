/// How `FeatureExtractor` decodes and which views it hashes.
public struct FeatureOptions: Sendable, Hashable {
    /// The decoder's pixel cap (decompression bombs are refused before decoding).
    public var maxPixels: Int
    /// JPEGs are decoded by TurboJPEG's DCT scaling at the largest power-of-two reduction (1/2, 1/4, 1/8: its fast
    /// paths; 3/8 or 5/8 decode slower than full size) whose shorter side is still at least this; nil decodes at
    /// full size, where pHash, dHash and PDQ are within a bit or two of imagehash and the PDQ reference (feature
    /// extraction resizes with 14-bit Lanczos weights; `PerceptualHasher` is bit-exact).
    /// Measured (Tests/DetectTests/Hashes/DecodeScaleReport.swift, CURATE_HASH_SCALE_REPORT=1; fixture photos
    /// against full-size references, mean / max bits): 64: pHash 0.9/6, dHash 0.7/8, PDQ 9.9/58 (fails the 4-bit
    /// acceptance); 120: pHash 0.5/4, dHash 0.2/3, PDQ 4.9/30 (textures); 128: PDQ 4.8/30; 192: PDQ 2.1/12; 256: 0.8/4.
    /// 120 rather than 128 sends 640x480 photos (common in scraped sets) to 1/4 scale (160x120): on the
    /// near-duplicate benchmark (Tests/DetectTests/Clustering/NearDuplicateClusterEval.swift) it scores the same
    /// pair F1 as 128 (0.957), and it extracts features ~7% faster (scripts/bench-hash.sh); 64 lost 0.04 F1 on
    /// rotated copies. PDQ's drift from the reference stays far below its match threshold (~31 of 256 bits).
    public var decodeMinimumSide: Int?
    /// Detects uniform borders and hashes the content inside them as the `trimmed` view.
    public var trimmer: BorderTrimmer?
    /// Share of each side kept for the `centered` view (crops of the image match it); nil skips the view.
    /// 0.9 measured best on scripts/make-neardup-eval.py's benchmark (overall pair F1 0.79 -> 0.85; 0.8 gave 0.82).
    public var centerShare: Double?
    /// Shares of each side kept for the off-centre crop views (`ImageFeatures.cropPHashes`): for each share, a
    /// 3x3 grid of crops (corners, edge middles, centre) of the content. A copy cropped to 80-90% at any offset
    /// then lies within a few percent of one crop view. Measured through `NearDuplicateClusterer` on the real-photo
    /// benchmark (Tests/DetectTests/Clustering/NearDuplicateClusterEval.swift): pair F1 0.770 before (views as-is,
    /// mirrored, trimmed; pHash 10, PDQ 31) -> 0.958 with the 90% and 85% grids and the default thresholds; crop 85%
    /// 0.11 -> 0.84, crop 90% 0.48 -> 0.95, rotation 4° 0.72 -> 0.85. The 80% grid (encoding 6) was measured on a
    /// held-out set of 197 gcompris-qt-data photos with other transforms: F1 0.907 -> 0.932 (crop 80% 0.74 -> 0.88,
    /// rotation 2-7° 0.87 -> 0.90, precision unchanged at 0.997) and 0.964 -> 0.969 on the benchmark; a 75% grid
    /// on top gave 0.954 and 0.968, precision 0.991 and 0.961, for another 9 views per image. Cost: 26 extra
    /// pHashes per image, resampled from one shared 64x64 intermediate (see `FeatureExtractor.gridCropPHashes`).
    /// Empty skips them.
    public var cropShares: [Double]
    /// Angles in degrees (the sign picks the direction) of the rotated views (`ImageFeatures.rotatedPHashes`): the
    /// content (the whole image when its border is a band, `FeatureExtractor.isBand`) turned about its centre, then
    /// its central `rotationShare` of each side. A copy turned by an angle near one of these matches the view, and
    /// its own centre crop (the centred view, of the same share) matches the original's; with views on both sides,
    /// turns of up to twice the largest angle plus pHash's own tolerance link. Chosen on the benchmark (NearDuplicateClusterEval, encoding 7): ±4° takes pair F1 0.969 -> 0.977
    /// (recall 0.973 -> 0.989, precision unchanged at 0.966; rotations of 3-5° 0.85 -> 0.94); ±5° 0.976, ±2.5° and
    /// ±5° together 0.976. On the held-out gcompris set, never tuned on: 0.932 -> 0.938 (rotation 2-7° 0.79 ->
    /// 0.91, precision unchanged at 0.997). Cost: about 3% of feature extraction (two turns of the 64x64
    /// intermediate, scripts/bench-hash.sh). Empty skips them.
    public var rotationDegrees: [Double]
    /// Share of each side kept around the centre of a rotated view: small enough that the turned corners, which
    /// a rotated copy fills with a background, stay (nearly) outside it. 0.9 rather than 0.8
    /// (NearDuplicateClusterEval, encoding 14): copies turned 5° on an expanded canvas, whose centre crops show more
    /// of the picture, 0.876 -> 0.938 on the second unseen set; page layouts 0.698 -> 0.714 (precision 0.878 -> 0.910), flat tiles joined 23 -> 19,
    /// held-out 0.982 -> 0.983, unseen 0.995 -> 0.996; the benchmark 0.978 -> 0.975 as labelled, only by joining two
    /// more pairs of near-identical source photos (0.963 -> 0.966 with them merged); 0.95 took the 5° copies to 0.832.
    public var rotationShare: Double
    /// Hashes the picture inside a page (`BorderTrimmer.insetRect`: a photo in a screenshot, a post or a viewer) as
    /// `ImageFeatures.insetPHash`. See `insetRect` for what it was measured on.
    public var insetView: Bool
    /// The inset view takes the picture inside a window (`BorderTrimmer.framedRect`: below a title bar, on a plain
    /// canvas) where there is one, before the page peel of `BorderTrimmer.insetRect`.
    public var framedInset = true
    /// Keeps the pHashes of the image turned by 90° or 180° and mirrored top to bottom or about a diagonal
    /// (`ImageFeatures.orientedPHashes`), so copies turned on their side or upside down match.
    public var orientationViews = true
    /// Aspect ratios (width / height) of the content's centred crops hashed as more crop views, each when it keeps
    /// 40-87% of the content's width or height (``FeatureExtractor/centreCrop(of:aspect:)``): training pipelines
    /// resize and crop the centre square (56% of a 16:9 photo's width) or an aspect bucket such as 4:3 (75% of a
    /// square photo's height), far beyond the crop grid's shares. The square (encoding 10), measured with
    /// NearDuplicateClusterEval on 176 photos of packages never tuned on (scratch, stellarium, tuxpaint, lomiri
    /// and ukui wallpapers, enlightenment) with 13 copies each: pair F1 0.953 -> 0.980, centre squares resized to
    /// 512 0.630 -> 0.959; held-out 0.972 -> 0.973; benchmark 0.976 -> 0.972 as labelled (its near-identical
    /// source photos meet more) and 0.963 -> 0.965 with them merged; page layouts 0.559 -> 0.556; tiles unchanged.
    /// 4:3 and 3:4 (encoding 11), chosen after looking at the second unseen set's 4:3 centre crops of square photos:
    /// that set 0.980 -> 0.983, unseen 0.989 -> 0.990, held-out and benchmark unchanged, 5,000 flat synthetic shapes
    /// 390 -> 406 joined to another (16:9 as well gave 0.984 and 416). Empty skips them.
    public var centreCropAspects: [Double] = [1, 4.0 / 3, 3.0 / 4]
    /// Crop and turned views whose 32x32 luma has less texture than this (mean absolute difference of neighbouring
    /// pixels, in luma levels) are not kept: a flat view's pHash only tells the direction of its gradient, and with
    /// 29 views an image, flat views of unrelated images met within the threshold. Measured on a set of 1,088
    /// 256-px tiles of 68 real photos (4x4 grids, no two tiles alike; NearDuplicateClusterEval): tiles joined to
    /// others 111 -> 52 at 4 (3: 65, 5: 35), 42 with `NearDuplicateClusterer.minimumPHashQuality`; pair F1 of the
    /// benchmark 0.978 -> 0.976, held-out 0.973 -> 0.972, page layouts 0.560 -> 0.559. Under 1% of the crop views
    /// of the benchmark's photos are below 4; 37% of the tiles'.
    public var minimumViewTexture: Double = 4
    /// The trimmed views leave out a detached caption (`BorderTrimmer.uncaptionedRect`: a line of text above or below
    /// the picture, set off by plain rows), so a meme-captioned copy's trimmed view is its picture. Measured with
    /// NearDuplicateClusterEval (encoding 14): the unseen set 0.989 -> 0.995 (its caption bars 0.881 -> 0.952,
    /// precision 0.999 -> 1.000), page layouts 0.641 -> 0.698 (polaroids 0.806 -> 0.911); held-out, benchmark, second unseen
    /// set, flat tiles and 5,000 flat shapes unchanged. A caption at least 5 times as wide as high (3: the same but
    /// one more shape joined; 8: "this is fine" stayed). Without the margin, contrast and border-colour checks, a
    /// sixth of the fixture photos lost an edge (a table, a bumper, dusk) and the shapes joined 437 instead of 383.
    public var cutsCaptions = true

    public init(
        maxPixels: Int = 100_000_000, decodeMinimumSide: Int? = FeatureOptions.defaultDecodeMinimumSide,
        trimmer: BorderTrimmer? = BorderTrimmer(), centerShare: Double? = 0.9, cropShares: [Double] = [0.9, 0.85, 0.8],
        rotationDegrees: [Double] = [4, -4], rotationShare: Double = 0.9, insetView: Bool = true
    ) {
        self.maxPixels = maxPixels
        self.decodeMinimumSide = decodeMinimumSide
        self.trimmer = trimmer
        self.centerShare = centerShare
        self.cropShares = cropShares
        self.rotationDegrees = rotationDegrees
        self.rotationShare = rotationShare
        self.insetView = insetView
    }

    /// The measured default for `decodeMinimumSide`.
    public static let defaultDecodeMinimumSide: Int? = 120
}
