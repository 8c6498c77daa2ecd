/// Image features by sample with each distinct image held once: sample `i` has `images[slots[i]]`, or none when
/// its slot is -1. Samples that share a slot share the file's bytes (equal content hash).
public struct SampleFeatures: Sendable {
    /// Features of every distinct image (by content hash), in first-seen order.
    public private(set) var images: [ImageFeatures] = []
    /// Each sample's index into ``images``, or -1 when it has no features.
    public private(set) var slots: [Int32] = []
    private var slotOfHash: [ContentHash: Int32] = [:]

    /// No samples yet.
    public init() {}

    /// Per-sample features, deduplicated by content hash.
    public init(_ features: [ImageFeatures?]) {
        for f in features { append(f) }
    }

    /// Adds the next sample: a slot of its own for an image not seen before, else the slot of that image.
    public mutating func append(_ features: ImageFeatures?) {
        guard let features else {
            slots.append(-1)
            return
        }
        if slotOfHash.isEmpty && !images.isEmpty {
            for (slot, image) in images.enumerated() { slotOfHash[image.contentHash] = Int32(slot) }
        }
        if let slot = slotOfHash[features.contentHash] {
            slots.append(slot)
            return
        }
        let slot = Int32(images.count)
        slotOfHash[features.contentHash] = slot
        images.append(features)
        slots.append(slot)
    }

    /// Number of samples.
    public var count: Int { slots.count }

    /// Drops the content-hash lookup (~40 bytes an image; rebuilt if anything is appended later) and the slots'
    /// spare capacity. The images keep theirs: a copy to shed it would briefly hold them twice, the scan's peak.
    public mutating func finishAppending() {
        slotOfHash = [:]
        slots = slots.shrunkToFit()
    }

    /// Sample `ordinal`'s features, if any.
    public subscript(ordinal: Int) -> ImageFeatures? {
        let slot = slots[ordinal]
        return slot < 0 ? nil : images[Int(slot)]
    }

    /// Groups of two or more samples sharing one image, each ascending, ordered by first member.
    public var sharedImageGroups: [[Int]] { sharedSlotGroups(slots, imageCount: images.count) }

    /// Each image's size and quality with the same slots: what is left to know once the hashes have been used.
    public var facts: SampleImageFacts {
        SampleImageFacts(
            slots: slots,
            images: images.map {
                ImageFacts(
                    width: $0.width, height: $0.height, pdqQuality: $0.hashes.pdqQuality,
                    contentPixels: $0.trimmedSize.map { $0.width * $0.height } ?? $0.width * $0.height,
                    format: $0.format, byteCount: $0.byteCount)
            })
    }
}

/// What planning needs of an image once clustering is done: its size, the size of its content, PDQ quality, and
/// its format and file bytes per pixel (how lightly it was compressed). 24 bytes: the format and bytes per
/// pixel sit in what was padding.
public struct ImageFacts: Sendable, Hashable {
    private let storedWidth: Int32
    private let storedHeight: Int32
    private let storedQuality: UInt8
    private let storedFormat: UInt8
    private let storedBytesPerPixel: Float32
    private let storedContentPixels: Int64

    /// `contentPixels` defaults to `width * height` (no border).
    public init(
        width: Int, height: Int, pdqQuality: Int, contentPixels: Int? = nil, format: ImageFormat = .unknown,
        byteCount: Int = 0
    ) {
        storedWidth = Int32(clamping: width)
        storedHeight = Int32(clamping: height)
        storedQuality = UInt8(clamping: pdqQuality)
        storedFormat = UInt8([ImageFormat.jpeg, .png, .webp].firstIndex(of: format).map { $0 + 1 } ?? 0)
        let pixels = max(1, Int(storedWidth) * Int(storedHeight))
        storedBytesPerPixel = Float32(Double(byteCount) / Double(pixels))
        storedContentPixels = Int64(contentPixels ?? Int(storedWidth) * Int(storedHeight))
    }

    /// The file's format.
    public var format: ImageFormat { [ImageFormat.unknown, .jpeg, .png, .webp][Int(storedFormat)] }
    /// File bytes per pixel: among copies of one size and format, the least compressed (and least blurred) has
    /// the most.
    public var bytesPerPixel: Double { Double(storedBytesPerPixel) }

    public var width: Int { Int(storedWidth) }
    public var height: Int { Int(storedHeight) }
    /// PDQ quality 0...100 of the image as displayed.
    public var pdqQuality: Int { Int(storedQuality) }
    /// Pixels of the picture inside any uniform border (padding, letterboxing), for `dedupe`'s `largest`.
    public var contentPixels: Int { Int(storedContentPixels) }
}

/// ``ImageFacts`` by sample, each distinct image held once as in ``SampleFeatures`` (12 bytes an image instead of
/// several hundred), so a run can let go of the hashes after clustering.
public struct SampleImageFacts: Sendable {
    /// Each sample's index into ``images``, or -1 when its image was not read.
    public let slots: [Int32]
    public let images: [ImageFacts]

    /// Facts by slot; every slot is -1 or an index into `images`.
    public init(slots: [Int32], images: [ImageFacts]) {
        self.slots = slots
        self.images = images
    }

    /// Number of samples.
    public var count: Int { slots.count }

    /// Sample `ordinal`'s image facts, if its image was read.
    public subscript(ordinal: Int) -> ImageFacts? {
        let slot = slots[ordinal]
        return slot < 0 ? nil : images[Int(slot)]
    }

    /// Groups of two or more samples sharing one image, each ascending, ordered by first member.
    public var sharedImageGroups: [[Int]] { sharedSlotGroups(slots, imageCount: images.count) }
}

/// Samples grouped by slot, only slots held by two or more samples, each group ascending and the groups ordered by
/// first member. Counts first, so a million distinct images cost no million small arrays.
func sharedSlotGroups(_ slots: [Int32], imageCount: Int) -> [[Int]] {
    var counts = [Int32](repeating: 0, count: imageCount)
    for slot in slots where slot >= 0 { counts[Int(slot)] &+= 1 }
    var groupOfSlot: [Int32: Int] = [:]
    var groups: [[Int]] = []
    // Walking samples in order opens each group at its first member, so groups come out ordered by it.
    for (ordinal, slot) in slots.enumerated() where slot >= 0 && counts[Int(slot)] >= 2 {
        if let group = groupOfSlot[slot] {
            groups[group].append(ordinal)
        } else {
            groupOfSlot[slot] = groups.count
            groups.append([ordinal])
        }
    }
    return groups
}
