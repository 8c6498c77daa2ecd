import CurateTestSupport
import Detect
import Foundation
import Testing

/// `DecodeOptions.grayscale`: YCbCr JPEGs decode straight to their Y channel, which must stay within rounding of
/// Pillow's `convert("L")` of the RGB decode (the luma imagehash hashes), at full size and DCT-scaled.
@Suite struct GrayscaleDecodeTests {
    /// Pillow's L: ITU-R 601-2 luma in 16.16 fixed point, rounded.
    static func pillowL(_ rgb: PixelImage) -> [UInt8] {
        (0..<rgb.width * rgb.height).map { i in
            let r = UInt32(rgb.pixels[3 * i]), g = UInt32(rgb.pixels[3 * i + 1]), b = UInt32(rgb.pixels[3 * i + 2])
            return UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
        }
    }

    @Test("a YCbCr JPEG decodes to one luma channel close to Pillow's L of its RGB decode", arguments: [nil, 100] as [Int?])
    func lumaMatchesPillow(minimumSide: Int?) throws {
        for url in Fixtures.photos.prefix(8) {
            let data = try Data(contentsOf: url)
            let rgb = try ImageDecoder.decode(data, options: DecodeOptions(minimumSide: minimumSide))
            let gray = try ImageDecoder.decode(data, options: DecodeOptions(minimumSide: minimumSide, grayscale: true))
            #expect(gray.pixels.channels == 1)
            #expect(gray.width == rgb.width && gray.height == rgb.height)
            #expect(gray.pixels.width == rgb.pixels.width && gray.pixels.height == rgb.pixels.height)
            let reference = Self.pillowL(rgb.pixels)
            var total = 0, worst = 0
            for (a, b) in zip(gray.pixels.pixels, reference) {
                let d = abs(Int(a) - Int(b))
                total += d
                worst = max(worst, d)
            }
            // Y and L differ by the RGB round trip's rounding, except where a saturated colour clips in RGB.
            #expect(Double(total) / Double(reference.count) < 1.0, "\(url.lastPathComponent)")
            #expect(worst <= 64, "\(url.lastPathComponent)")
        }
    }

    @Test("orientation still applies to a luma-only decode")
    func orientationApplies() throws {
        let upright = try ImageFixtures.decode("orientation-upright.jpg", options: DecodeOptions(grayscale: true))
        for n in 2...8 {
            let turned = try ImageFixtures.decode("orientation-\(n).jpg", options: DecodeOptions(grayscale: true))
            #expect(turned.pixels.channels == 1)
            #expect(turned.pixels.width == upright.pixels.width && turned.pixels.height == upright.pixels.height)
        }
    }

    @Test("CMYK, YCCK and gray JPEGs and PNGs ignore the hint and decode as before")
    func hintIgnoredElsewhere() throws {
        for name in ["jpeg-cmyk.jpg", "jpeg-ycck.jpg", "jpeg-gray.jpg", "png-rgb16.png"] {
            let plain = try ImageFixtures.decode(name)
            let hinted = try ImageFixtures.decode(name, options: DecodeOptions(grayscale: true))
            #expect(plain == hinted, "\(name)")
        }
    }
}
