/// How to decode.
public struct DecodeOptions: Sendable, Hashable {
    /// Images with more pixels than this are refused before any pixel is decoded (decompression bombs).
    public var maxPixels: Int
    /// When set, JPEGs are decoded at the smallest DCT scale whose shorter side is still at least this many pixels.
    public var minimumSide: Int?

    public init(maxPixels: Int = 100_000_000, minimumSide: Int? = nil) {
        self.maxPixels = maxPixels
        self.minimumSide = minimumSide
    }

    /// Refuses a `width`×`height` image over the pixel cap; called with header sizes, before any allocation.
    func checkPixelCap(width: Int, height: Int, format: ImageFormat) throws(ImageDecodeError) {
        guard width > 0, height > 0 else {
            throw ImageDecodeError(.corruptImage, "\(format.rawValue) header gives an empty size \(width)x\(height)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        // Int.max / 8 keeps every buffer size (at most 4 bytes a pixel) representable whatever the cap says.
        guard !overflow, pixels <= min(maxPixels, Int.max / 8) else {
            throw ImageDecodeError(
                .oversizedImage, "\(format.rawValue) header claims \(width)x\(height), over the \(maxPixels)-pixel cap")
        }
    }
}
