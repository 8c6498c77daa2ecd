/// Image features by sample with each distinct image held once: sample `i` has `images[slots[i]]`, or none when
/// its slot is -1. Samples that share a slot share the file's bytes (equal content hash).
public struct SampleFeatures: Sendable {
    public var images: [ImageFeatures]
    public var slots: [Int32]

    public init(images: [ImageFeatures], slots: [Int32]) {
        self.images = images
        self.slots = slots
    }

    /// Per-sample features, deduplicated by content hash.
    public init(_ features: [ImageFeatures?]) {
        var slotOfHash: [ContentHash: Int32] = [:]
        var images: [ImageFeatures] = []
        let slots = features.map { f -> Int32 in
            guard let f else { return -1 }
            if let slot = slotOfHash[f.contentHash] { return slot }
            let slot = Int32(images.count)
            slotOfHash[f.contentHash] = slot
            images.append(f)
            return slot
        }
        self.init(images: images, slots: slots)
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
