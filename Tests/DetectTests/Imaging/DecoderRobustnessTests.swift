import CurateTestSupport
import Detect
import Foundation
import Testing

/// Damaged real files of every format: the decoder must answer with pixels of a consistent shape or a typed error,
/// never crash. (A mismatch between a decoder's buffer and its reported size would trip `PixelImage`'s checks.)
@Suite struct DecoderRobustnessTests {
    static let allowed: Set<ProblemKind> = [.truncatedImage, .corruptImage, .unsupportedFormat, .oversizedImage]

    @Test(
        "randomly damaged files decode to consistent pixels or fail with a typed error",
        arguments: [
            "jpeg-rgb.jpg", "jpeg-progressive.jpg", "jpeg-cmyk.jpg", "jpeg-gray.jpg", "orientation-6.jpg",
            "png-interlaced.png", "png-palette-trns.png", "png-gray-alpha.png", "png-rgb16.png",
            "webp-lossy.webp", "webp-lossless-alpha.webp", "webp-lossy-alpha.webp", "webp-orientation-8.webp",
            "webp-animated.webp",
        ])
    func survivesDamage(name: String) throws {
        let original = try ImageFixtures.data(name)
        var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: name.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }))
        // A small cap keeps a damaged header that claims a large size from allocating much.
        let options = DecodeOptions(maxPixels: 1 << 20, minimumSide: generator.next() % 2 == 0 ? nil : 24)
        var decoded = 0, failed = 0
        for round in 0..<300 {
            var data = original
            // Damage the first 64 bytes (headers) in a third of the rounds, anywhere otherwise.
            let span = round % 3 == 0 ? min(64, data.count) : data.count
            for _ in 0..<(1 + Int(generator.next() % 6)) {
                let index = 3 + Int(generator.next() % UInt64(span - 3))
                data[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            if round % 5 == 0 { data = data.prefix(3 + Int(generator.next() % UInt64(data.count - 3))) }
            do {
                let image = try ImageDecoder.decode(data, options: options)
                let pixels = image.pixels
                #expect(pixels.pixels.count == pixels.width * pixels.height * pixels.channels)
                #expect(image.width >= pixels.width && image.height >= pixels.height)
                decoded += 1
            } catch {
                #expect(Self.allowed.contains(error.kind), "\(name) round \(round): \(error)")
                failed += 1
            }
        }
        #expect(decoded + failed == 300)
        #expect(failed > 0)
    }
}
