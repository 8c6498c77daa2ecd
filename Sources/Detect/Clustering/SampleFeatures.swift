/// Image features by sample with each distinct image held once: sample `i` has the image of slot `slots[i]`, or none
/// when its slot is -1. Samples that share a slot share the file's bytes (equal content hash).
///
/// The features themselves (~650 bytes an image in memory, ~475 in binary form) are kept out of the heap, in their
/// binary form (``ImageFeatures/binary``) in a ``SpillBuffer``: at a million images they were half of an audit's
/// peak. What stays in memory is 4 bytes a sample and 8 an image. Reading them back decodes them; the clusterer
/// walks them in order once and then works from the codes it drew from them.
public struct SampleFeatures: Sendable {
    /// Each distinct image's binary form, one after the other in first-seen order. Copies of this value share it:
    /// each appends its own records after the others' and keeps only its own record positions.
    private let store: SpillBuffer
    /// Where each distinct image's record sits in ``store``: `start << 16 | length`, by slot.
    private var records: [UInt64] = []
    /// Each sample's slot, or -1 when it has no features.
    public private(set) var slots: [Int32] = []
    private var slotOfHash: [ContentHash: Int32] = [:]

    /// No samples yet.
    public init() {
        self.init(blockSize: 4 << 20)
    }

    /// No samples yet; the features go to the temporary file in blocks of `blockSize` bytes.
    init(blockSize: Int) {
        store = SpillBuffer(blockSize: blockSize)
    }

    /// Per-sample features, deduplicated by content hash.
    public init(_ features: [ImageFeatures?]) {
        self.init()
        for f in features { append(f) }
    }

    /// Adds the next sample: a slot of its own for an image not seen before, else the slot of that image.
    public mutating func append(_ features: ImageFeatures?) {
        guard let features else {
            slots.append(-1)
            return
        }
        if slotOfHash.isEmpty && !records.isEmpty {
            forEachImage { slot, image in slotOfHash[image.contentHash] = Int32(slot) }
        }
        if let slot = slotOfHash[features.contentHash] {
            slots.append(slot)
            return
        }
        let slot = Int32(records.count)
        slotOfHash[features.contentHash] = slot
        let start = store.append { features.write(into: &$0) }
        let length = store.count - start
        precondition(length < 1 << 16, "an image's binary form is a few kilobytes at most")
        records.append(UInt64(start) << 16 | UInt64(length))
        slots.append(slot)
    }

    /// Number of samples.
    public var count: Int { slots.count }

    /// Number of distinct images.
    public var imageCount: Int { records.count }

    /// Drops the content-hash lookup (~40 bytes an image; rebuilt if anything is appended later) and the spare
    /// capacity of the slots and record positions.
    public mutating func finishAppending() {
        slotOfHash = [:]
        slots = slots.shrunkToFit()
        records = records.shrunkToFit()
    }

    /// Sample `ordinal`'s features, if any (read back and decoded: for a few samples; walks use ``forEach(_:_:)``).
    public subscript(ordinal: Int) -> ImageFeatures? {
        let slot = slots[ordinal]
        guard slot >= 0 else { return nil }
        var reader = SpillBuffer.Reader(store, window: 0)
        return image(Int(slot), with: &reader)
    }

    /// Calls `body(ordinal, features)` for each of `ordinals` that has features, in the order given. Reading is
    /// fastest when their slots ascend (samples in order, each image once).
    public func forEach(_ ordinals: some Sequence<Int>, _ body: (Int, ImageFeatures) -> Void) {
        var reader = SpillBuffer.Reader(store)
        for ordinal in ordinals {
            let slot = slots[ordinal]
            if slot >= 0 { body(ordinal, image(Int(slot), with: &reader)) }
        }
    }

    /// Calls `body(slot, features)` for every distinct image in slot order.
    private func forEachImage(_ body: (Int, ImageFeatures) -> Void) {
        var reader = SpillBuffer.Reader(store)
        for slot in records.indices { body(slot, image(slot, with: &reader)) }
    }

    private func image(_ slot: Int, with reader: inout SpillBuffer.Reader) -> ImageFeatures {
        let start = Int(records[slot] >> 16), length = Int(records[slot] & 0xFFFF)
        guard let image = reader.withBytes(start..<start + length, { ImageFeatures(reading: $0) }) else {
            preconditionFailure("image features written by this run must read back")
        }
        return image
    }

    /// Groups of two or more samples sharing one image, each ascending, ordered by first member.
    public var sharedImageGroups: [[Int]] { sharedSlotGroups(slots, imageCount: records.count) }

    /// Each image's size and quality with the same slots: what is left to know once the hashes have been used.
    public var facts: SampleImageFacts {
        var images: [ImageFacts] = []
        images.reserveCapacity(records.count)
        forEachImage { _, image in
            images.append(
                ImageFacts(
                    width: image.width, height: image.height, pdqQuality: image.hashes.pdqQuality,
                    contentPixels: image.trimmedSize.map { $0.width * $0.height } ?? image.width * image.height,
                    format: image.format, byteCount: image.byteCount))
        }
        return SampleImageFacts(slots: slots, images: images)
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
        storedFormat = format.code
        let pixels = max(1, Int(storedWidth) * Int(storedHeight))
        storedBytesPerPixel = Float32(Double(byteCount) / Double(pixels))
        storedContentPixels = Int64(contentPixels ?? Int(storedWidth) * Int(storedHeight))
    }

    /// The file's format.
    public var format: ImageFormat { ImageFormat(code: storedFormat) }
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
