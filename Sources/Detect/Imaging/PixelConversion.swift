/// Conversions from the layouts the C decoders produce to the gray or RGB layout of `PixelImage`.
///
/// Each loop runs over raw pointers with integer arithmetic only: these run once per decoded pixel.
enum PixelConversion {
    /// Alpha compositing over white, rounded: (c·a + 255·(255−a) + 127) / 255.
    @inline(__always)
    static func overWhite(_ c: UInt8, _ a: UInt8) -> UInt8 {
        let alpha = UInt32(a)
        return UInt8(truncatingIfNeeded: (UInt32(c) * alpha + 255 * (255 - alpha) + 127) / 255)
    }

    /// RGBA (4 bytes per pixel) to RGB with alpha composited over white.
    static func rgbOverWhite(rgba: UnsafeRawBufferPointer, pixelCount: Int) -> [UInt8] {
        precondition(rgba.count >= pixelCount * 4)
        return [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { out, initialized in
            guard let src = rgba.baseAddress?.assumingMemoryBound(to: UInt8.self), var d = out.baseAddress else {
                return
            }
            var s = src
            for _ in 0..<pixelCount {
                let a = s[3]
                if a == 255 {
                    d[0] = s[0]
                    d[1] = s[1]
                    d[2] = s[2]
                } else {
                    d[0] = overWhite(s[0], a)
                    d[1] = overWhite(s[1], a)
                    d[2] = overWhite(s[2], a)
                }
                s += 4
                d += 3
            }
            initialized = pixelCount * 3
        }
    }

    /// RGBA whose colour channels are equal (decoded gray) to gray with alpha composited over white.
    static func grayOverWhite(rgba: UnsafeRawBufferPointer, pixelCount: Int) -> [UInt8] {
        precondition(rgba.count >= pixelCount * 4)
        return [UInt8](unsafeUninitializedCapacity: pixelCount) { out, initialized in
            guard let src = rgba.baseAddress?.assumingMemoryBound(to: UInt8.self), var d = out.baseAddress else {
                return
            }
            var s = src
            for _ in 0..<pixelCount {
                d.pointee = overWhite(s[0], s[3])
                s += 4
                d += 1
            }
            initialized = pixelCount
        }
    }

    /// CMYK (4 bytes per pixel, as stored in the JPEG) to RGB: R = (255−C)(255−K)/255, rounded.
    ///
    /// - Parameter inverted: the Adobe convention (an APP14 "Adobe" segment, which every YCCK file and nearly every
    ///   CMYK file has) stores 255 − ink, so R = C·K/255 on the stored values.
    static func rgb(cmyk: UnsafeRawBufferPointer, pixelCount: Int, inverted: Bool) -> [UInt8] {
        precondition(cmyk.count >= pixelCount * 4)
        return [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { out, initialized in
            guard let src = cmyk.baseAddress?.assumingMemoryBound(to: UInt8.self), var d = out.baseAddress else {
                return
            }
            var s = src
            let flip: UInt32 = inverted ? 0 : 255
            for _ in 0..<pixelCount {
                let k = UInt32(s[3]) ^ flip
                d[0] = UInt8(truncatingIfNeeded: ((UInt32(s[0]) ^ flip) * k + 127) / 255)
                d[1] = UInt8(truncatingIfNeeded: ((UInt32(s[1]) ^ flip) * k + 127) / 255)
                d[2] = UInt8(truncatingIfNeeded: ((UInt32(s[2]) ^ flip) * k + 127) / 255)
                s += 4
                d += 3
            }
            initialized = pixelCount * 3
        }
    }
}
