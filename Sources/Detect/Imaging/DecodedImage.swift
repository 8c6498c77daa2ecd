/// A decoded image with the facts about the file it came from.
public struct DecodedImage: Sendable, Hashable {
    public var format: ImageFormat
    /// Full size of the image as stored (before any DCT scaling), after EXIF orientation.
    public var width: Int
    public var height: Int
    /// The decoded pixels, possibly scaled down, orientation applied.
    public var pixels: PixelImage

    public init(format: ImageFormat, width: Int, height: Int, pixels: PixelImage) {
        self.format = format
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
