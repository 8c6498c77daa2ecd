/// Which samples' image paths a manifest reader looks up on disk (``ImagePathResolver``): every sample's, or only
/// some samples', when a second read of the inputs needs every record but only a few images (the report's
/// thumbnails), so a million-row replay does not `lstat` a million files again.
public enum ImageResolution: Sendable, Hashable {
    case all
    /// Only the samples whose ordinal is in the set, the reader's first sample counting as `offset`; the others come
    /// back as `.missing(.missingImage)`, their path neither checked nor reported.
    case only(Set<Int>, offset: Int)

    /// Whether the reader's sample `ordinal` (counted from its own first sample) is looked up.
    func resolves(_ ordinal: Int) -> Bool {
        switch self {
        case .all: true
        case .only(let ordinals, let offset): ordinals.contains(offset + ordinal)
        }
    }
}
