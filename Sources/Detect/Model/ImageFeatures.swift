/// The container format of an image file, from its magic bytes (not its name).
///
/// The order of the cases is each format's ``code`` in the index's binary form: add new formats at the end.
public enum ImageFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case jpeg, png, webp, unknown

    /// The format as one byte: its place among the cases (jpeg 0, png 1, webp 2, unknown 3).
    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)!) }

    /// The format whose ``code`` is `code`; unknown for a byte no format has.
    public init(code: UInt8) {
        self = Int(code) < Self.allCases.count ? Self.allCases[Int(code)] : .unknown
    }
}

/// A 256-bit PDQ hash, bit 0 in the lowest bit of `words[0]`.
public struct PDQHash: Sendable, Hashable, Codable {
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        words = (w0, w1, w2, w3)
    }

    /// Number of differing bits.
    public func distance(to other: PDQHash) -> Int {
        (words.0 ^ other.words.0).nonzeroBitCount + (words.1 ^ other.words.1).nonzeroBitCount
            + (words.2 ^ other.words.2).nonzeroBitCount + (words.3 ^ other.words.3).nonzeroBitCount
    }

    public static func == (a: PDQHash, b: PDQHash) -> Bool { a.words == b.words }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(try c.decode(UInt64.self), try c.decode(UInt64.self), try c.decode(UInt64.self), try c.decode(UInt64.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(words.0)
        try c.encode(words.1)
        try c.encode(words.2)
        try c.encode(words.3)
    }
}

/// The perceptual hashes of one view of an image (as decoded, mirrored, or with borders trimmed).
public struct PerceptualHashes: Sendable, Hashable, Codable {
    /// 64-bit DCT hash, imagehash's `phash` definition.
    public var phash: UInt64
    /// 64-bit difference hash, imagehash's `dhash` definition.
    public var dhash: UInt64
    /// 256-bit PDQ hash, Meta's reference definition.
    public var pdq: PDQHash
    /// PDQ quality score, 0...100 (low for flat or tiny images, whose hashes say little).
    public var pdqQuality: Int

    public init(phash: UInt64, dhash: UInt64, pdq: PDQHash, pdqQuality: Int) {
        self.phash = phash
        self.dhash = dhash
        self.pdq = pdq
        self.pdqQuality = pdqQuality
    }
}

/// Everything the detector knows about one image file. Cached in the index by content hash.
public struct ImageFeatures: Sendable, Hashable, Codable {
    public var contentHash: ContentHash
    public var byteCount: Int
    public var format: ImageFormat
    /// Size after EXIF orientation, in pixels.
    public var width: Int
    public var height: Int
    /// Hashes of the image as displayed (EXIF orientation applied).
    public var hashes: PerceptualHashes
    /// Hashes of the left–right mirror, so mirrored copies match.
    public var mirrored: PerceptualHashes
    /// Hashes after trimming uniform borders (padding, letterboxing) and cutting a detached caption
    /// (`BorderTrimmer.uncaptionedRect`); nil when there was neither.
    public var trimmed: PerceptualHashes?
    /// Hashes of the left–right mirror of the trimmed content, so a mirrored copy of a bordered image matches
    /// without its border; nil when there was nothing to trim.
    public var trimmedMirrored: PerceptualHashes?
    /// Hashes of the central 90% of the content (inside any trimmed border), so crops of the image match;
    /// nil when not computed (features cached before this view existed).
    public var centered: PerceptualHashes?
    /// The pHash-only views in one buffer (one allocation an image: a scan holds a million images at once): the
    /// crop grid, then the turned views, then the inset view when there is one, then the other orientations.
    public private(set) var pHashViews: [UInt64]
    private var cropCount: UInt8
    private var rotationCount: UInt8
    private var orientationCount: UInt8
    /// Percent of the image's area inside the inset view's rectangle (the index stores it as is); 0 when there is
    /// no inset view or its share was not recorded.
    private(set) var insetPercent: UInt8 = 0
    /// 0 when there was no border to trim.
    private var storedTrimmedWidth: UInt32
    private var storedTrimmedHeight: UInt32

    /// pHashes of off-centre crops of the content (see `FeatureOptions.cropShares`), so copies cropped anywhere,
    /// not only around the centre, match; empty when not computed. Only pHash: on the benchmark it is the hash
    /// that tolerates the remaining shift between a crop and the nearest crop view (PDQ does not).
    public var cropPHashes: [UInt64] {
        get { Array(pHashViews[..<Int(cropCount)]) }
        set { setViews(crops: newValue, rotations: rotatedPHashes, orientations: orientedPHashes, inset: insetPHash) }
    }
    /// pHashes of the central content turned by small angles (see `FeatureOptions.rotationDegrees`), so copies
    /// rotated by a few degrees match; empty when not computed. Only pHash, as for the crop views.
    public var rotatedPHashes: [UInt64] {
        get { Array(pHashViews[Int(cropCount)..<Int(cropCount) + Int(rotationCount)]) }
        set { setViews(crops: cropPHashes, rotations: newValue, orientations: orientedPHashes, inset: insetPHash) }
    }
    /// pHashes of the image as decoded turned by 90° clockwise or 180°, or mirrored top to bottom or about a diagonal
    /// (`DCTHash.orientations(_:)`), so a copy turned on its side or upside down (a lost EXIF orientation) matches
    /// (one turned 90° counter-clockwise through its own views); empty when not computed.
    public var orientedPHashes: [UInt64] {
        get { Array(orientedPHashViews) }
        set { setViews(crops: cropPHashes, rotations: rotatedPHashes, orientations: newValue, inset: insetPHash) }
    }
    /// ``orientedPHashes`` without a copy.
    public var orientedPHashViews: ArraySlice<UInt64> { pHashViews.suffix(Int(orientationCount)) }
    /// The crop, turned and inset views without a copy: ``pHashViews`` without the orientations.
    public var croppedPHashViews: ArraySlice<UInt64> { pHashViews.dropLast(Int(orientationCount)) }
    /// pHash of the picture inside a page (`BorderTrimmer.insetRect`: a photo in a screenshot, a post or a viewer,
    /// with the header, caption or toolbar around it peeled off); nil when the image is no such page. Only pHash:
    /// with pHash, dHash and PDQ of the inset the page-layout set scored pair F1 0.566, with its pHash alone 0.560,
    /// for a PDQ hash of a large plane on every page (and a fifth of plain photos).
    public var insetPHash: UInt64? {
        get {
            let insetIndex = Int(cropCount) + Int(rotationCount)
            return pHashViews.count > insetIndex + Int(orientationCount) ? pHashViews[insetIndex] : nil
        }
        set { setViews(crops: cropPHashes, rotations: rotatedPHashes, orientations: orientedPHashes, inset: newValue) }
    }
    /// Share of the image's area that the inset view's picture covers (`insetPHash`), in hundredths; nil when there
    /// is no inset view or its share was not recorded (an inset keeps at least 9% of the image).
    public var insetShare: Double? {
        get { insetPHash == nil || insetPercent == 0 ? nil : Double(insetPercent) / 100 }
        set { insetPercent = newValue.map { UInt8(clamping: Int(($0 * 100).rounded())) } ?? 0 }
    }
    /// Size of the content inside the trimmed border, in the pixels of `width` x `height`; nil when there was no
    /// border to trim (the content is the whole image). `dedupe`'s `largest` compares these, so a padded copy does
    /// not win over its original by the pixels of its padding.
    public var trimmedSize: (width: Int, height: Int)? {
        get { storedTrimmedWidth == 0 ? nil : (Int(storedTrimmedWidth), Int(storedTrimmedHeight)) }
        set {
            // A width of 0 stands for no border, so a trimmed size keeps a width of at least 1.
            storedTrimmedWidth = newValue.map { UInt32(clamping: max($0.width, 1)) } ?? 0
            storedTrimmedHeight = newValue.map { UInt32(clamping: $0.height) } ?? 0
        }
    }

    public init(
        contentHash: ContentHash, byteCount: Int, format: ImageFormat, width: Int, height: Int,
        hashes: PerceptualHashes, mirrored: PerceptualHashes, trimmed: PerceptualHashes?,
        trimmedMirrored: PerceptualHashes? = nil, centered: PerceptualHashes? = nil, cropPHashes: [UInt64] = [],
        rotatedPHashes: [UInt64] = [], orientedPHashes: [UInt64] = [], insetPHash: UInt64? = nil,
        insetShare: Double? = nil,
        trimmedSize: (width: Int, height: Int)? = nil
    ) {
        self.contentHash = contentHash
        self.byteCount = byteCount
        self.format = format
        self.width = width
        self.height = height
        self.hashes = hashes
        self.mirrored = mirrored
        self.trimmed = trimmed
        self.trimmedMirrored = trimmedMirrored
        self.centered = centered
        pHashViews = []
        cropCount = 0
        rotationCount = 0
        orientationCount = 0
        storedTrimmedWidth = 0
        storedTrimmedHeight = 0
        setViews(crops: cropPHashes, rotations: rotatedPHashes, orientations: orientedPHashes, inset: insetPHash)
        self.trimmedSize = trimmedSize
        self.insetShare = insetShare
    }

    private mutating func setViews(crops: [UInt64], rotations: [UInt64], orientations: [UInt64], inset: UInt64?) {
        let crops = crops.prefix(255), rotations = rotations.prefix(255), orientations = orientations.prefix(255)
        var views: [UInt64] = []
        views.reserveCapacity(crops.count + rotations.count + orientations.count + (inset == nil ? 0 : 1))
        views += crops
        views += rotations
        if let inset { views.append(inset) }
        views += orientations
        pHashViews = views
        cropCount = UInt8(crops.count)
        rotationCount = UInt8(rotations.count)
        orientationCount = UInt8(orientations.count)
    }
}
