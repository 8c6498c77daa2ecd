import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct WebPDecoderTests {
    @Test("lossy WebP decodes to RGB")
    func decodesLossy() throws {
        let image = try ImageFixtures.decode("webp-lossy.webp")
        #expect(image.format == .webp)
        #expect(image.width == 80 && image.height == 80 && image.pixels.channels == 3)
    }

    @Test("lossless and lossy WebP with alpha agree after compositing over white")
    func decodesAlpha() throws {
        let lossless = try ImageFixtures.decode("webp-lossless-alpha.webp")
        let lossy = try ImageFixtures.decode("webp-lossy-alpha.webp")
        #expect(lossless.width == 90 && lossless.height == 64 && lossless.pixels.channels == 3)
        #expect(lossless.pixels.meanAbsoluteDifference(to: lossy.pixels) < 6)
        // Fully transparent bottom-right corner: white.
        #expect(lossless.pixels.pixel(x: 89, y: 63) == [255, 255, 255])
    }

    @Test("an animated WebP is refused with a message that says why")
    func refusesAnimation() throws {
        let error = #expect(throws: ImageDecodeError.self) { try ImageFixtures.decode("webp-animated.webp") }
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.message.contains("animated") == true)
    }

    @Test(
        "a WebP cut at any point is truncated, never accepted",
        arguments: ["webp-lossy.webp", "webp-lossless-alpha.webp"])
    func rejectsEveryTruncation(name: String) throws {
        let data = try ImageFixtures.data(name)
        for cut in stride(from: 12, to: data.count, by: max(1, data.count / 40)) {
            let error = ImageFixtures.decodeError(data.prefix(cut))
            #expect(
                error?.kind == .truncatedImage, "\(name) cut at \(cut) of \(data.count): \(String(describing: error))")
        }
    }
}
