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
    /// Shares of each side kept for the off-centre crop views (`ImageFeatures.cropPHashes`): for each share, a
    /// 3x3 grid of crops (corners, edge middles, centre) of the content. A copy cropped to 85-90% at any offset
    /// then lies within a few percent of one crop view. Measured through `NearDuplicateClusterer` on the real-photo
    /// benchmark (Tests/DetectTests/Clustering/NearDuplicateClusterEval.swift): pair F1 0.770 before (views as-is,
    /// mirrored, trimmed; pHash 10, PDQ 31) -> 0.958 with these views and the default thresholds; crop 85% 0.11 ->
    /// 0.84, crop 90% 0.48 -> 0.95, rotation 4° 0.72 -> 0.85. A Python prototype scored the 90% grid alone at F1 0.94 and 5 crops per share at 0.92. Cost:
    /// 17 extra pHashes per image, feature extraction 387 -> 184 images/s on the benchmark (2 cores, release).
    /// Empty skips them.
    public var cropShares: [Double]

    public init(
        maxPixels: Int = 100_000_000, decodeMinimumSide: Int? = FeatureOptions.defaultDecodeMinimumSide,
        trimmer: BorderTrimmer? = BorderTrimmer(), centerShare: Double? = 0.9, cropShares: [Double] = [0.9, 0.85]
    ) {
        self.maxPixels = maxPixels
        self.decodeMinimumSide = decodeMinimumSide
        self.trimmer = trimmer
        self.centerShare = centerShare
        self.cropShares = cropShares
    }

    /// The measured default for `decodeMinimumSide`.
    public static let defaultDecodeMinimumSide: Int? = 128
}
