/// Decoded pixels, 8 bits per channel, row-major, no padding: 1 channel (gray) or 3 (RGB).
public struct PixelImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "PixelImage holds gray or RGB")
        precondition(pixels.count == width * height * channels, "pixel buffer does not match its size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}
