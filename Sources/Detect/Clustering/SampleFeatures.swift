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

    /// Sample `ordinal`'s features, if any.
    public subscript(ordinal: Int) -> ImageFeatures? {
        let slot = slots[ordinal]
        return slot < 0 ? nil : images[Int(slot)]
    }

    /// Groups of two or more samples sharing one image, each ascending, ordered by first member.
    public var sharedImageGroups: [[Int]] {
        var members = [[Int]](repeating: [], count: images.count)
        for (ordinal, slot) in slots.enumerated() where slot >= 0 { members[Int(slot)].append(ordinal) }
        return members.filter { $0.count >= 2 }.sorted { $0[0] < $1[0] }
    }
}
