/// One image as the two luma planes the hashes read: Pillow's 8-bit "L" (for pHash and dHash, as imagehash
/// sees the image) and PDQ's float luma. Both are row-major, `width * height` values.
struct GrayPlane: Sendable {
    var width: Int
    var height: Int
    /// Pillow's `convert("L")`: ITU-R 601-2 luma in 16.16 fixed point, rounded half up.
    var gray: [UInt8]
    /// PDQ's luma: 0.299 R + 0.587 G + 0.114 B in Float, unrounded; nil for a gray image, whose luma is `gray`
    /// itself (read through `lumaValues` or converted on the fly), so gray decodes carry no Float copy.
    var luma: [Float]?
    /// Original pixels per plane pixel along x and y: above 1 when the decoder scaled the image down, so PDQ can
    /// emulate the reference's full-size filter (see `PDQHasher`).
    var scaleX: Double = 1
    var scaleY: Double = 1

    init(width: Int, height: Int, gray: [UInt8], luma: [Float]?, scaleX: Double = 1, scaleY: Double = 1) {
        self.width = width
        self.height = height
        self.gray = gray
        self.luma = luma
        self.scaleX = scaleX
        self.scaleY = scaleY
    }

    /// The planes of a decoded image, remembering how much the decoder scaled it down.
    init(_ decoded: DecodedImage) {
        self.init(decoded.pixels)
        scaleX = Double(decoded.width) / Double(max(decoded.pixels.width, 1))
        scaleY = Double(decoded.height) / Double(max(decoded.pixels.height, 1))
        if decoded.pixels.width == decoded.width { scaleX = 1 }
        if decoded.pixels.height == decoded.height { scaleY = 1 }
    }

    /// Both luma planes of `image` (gray images pass through).
    init(_ image: PixelImage) {
        width = image.width
        height = image.height
        let count = image.width * image.height
        if image.channels == 1 {
            gray = image.pixels
            luma = nil
            return
        }
        var gray = [UInt8](repeating: 0, count: count)
        var luma = [Float](repeating: 0, count: count)
        let cr: Float = 0.299, cg: Float = 0.587, cb: Float = 0.114
        image.pixels.withUnsafeBufferPointer { src in
            gray.withUnsafeMutableBufferPointer { g in
                luma.withUnsafeMutableBufferPointer { l in
                    for i in 0..<count {
                        let r = UInt32(src[3 * i]), gr = UInt32(src[3 * i + 1]), b = UInt32(src[3 * i + 2])
                        // Pillow's L24 macro: 19595/38470/7471 are 0.299/0.587/0.114 in 16.16.
                        g[i] = UInt8(truncatingIfNeeded: (r * 19595 + gr * 38470 + b * 7471 + 0x8000) >> 16)
                        l[i] = cr * Float(r) + cg * Float(gr) + cb * Float(b)
                    }
                }
            }
        }
        self.gray = gray
        self.luma = luma
    }

    /// PDQ's luma as Float values, converted from `gray` for a gray image.
    var lumaValues: [Float] { luma ?? gray.map(Float.init) }

    /// The rectangle `x..<x+w`, `y..<y+h` of both planes.
    func cropped(x: Int, y: Int, width w: Int, height h: Int) -> GrayPlane {
        GrayPlane(
            width: w, height: h, gray: Self.rectangle(of: gray, stride: width, x: x, y: y, width: w, height: h),
            luma: luma.map { Self.rectangle(of: $0, stride: width, x: x, y: y, width: w, height: h) },
            scaleX: scaleX, scaleY: scaleY)
    }

    /// The `w x h` rectangle at (`x`, `y`) of a row-major plane with `stride` values per row.
    private static func rectangle<T>(of values: [T], stride: Int, x: Int, y: Int, width w: Int, height h: Int) -> [T] {
        values.withUnsafeBufferPointer { source in
            [T](unsafeUninitializedCapacity: w * h) { out, initialized in
                for row in 0..<h {
                    (out.baseAddress! + row * w).initialize(from: source.baseAddress! + (y + row) * stride + x, count: w)
                }
                initialized = w * h
            }
        }
    }
}
