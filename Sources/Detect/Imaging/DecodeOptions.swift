/// How to decode.
public struct DecodeOptions: Sendable, Hashable {
    /// Images with more pixels than this are refused before any pixel is decoded (decompression bombs).
    public var maxPixels: Int
    /// When set, JPEGs are decoded at the smallest DCT scale whose shorter side is still at least this many pixels.
    public var minimumSide: Int?
    /// Asks for luma only. JPEGs in YCbCr then decode straight to their Y channel (1 channel): TurboJPEG skips
    /// the chroma IDCTs, upsampling and colour conversion, which is most of a DCT-scaled decode after the entropy
    /// decoding. Y is the JPEG's own luma (0.299 R + 0.587 G + 0.114 B before chroma subsampling), so it differs
    /// from Pillow's `convert("L")` of the decoded RGB by rounding and by clipping of saturated colours only.
    /// CMYK/YCCK JPEGs, PNG and WebP ignore the hint and decode as usual (gray or RGB).
    public var grayscale: Bool

    public init(maxPixels: Int = 100_000_000, minimumSide: Int? = nil, grayscale: Bool = false) {
        self.maxPixels = maxPixels
        self.minimumSide = minimumSide
        self.grayscale = grayscale
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
