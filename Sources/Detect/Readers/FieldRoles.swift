/// Which fields of a record hold the key, the image reference and the caption.
public struct FieldRoles: Sendable, Hashable {
    public var key: String?
    public var image: String?
    public var caption: String?

    public init(key: String? = nil, image: String? = nil, caption: String? = nil) {
        self.key = key
        self.image = image
        self.caption = caption
    }
}
