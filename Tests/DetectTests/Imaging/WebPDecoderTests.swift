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

    @Test("an animated WebP decodes to its first frame")
    func decodesFirstFrame() throws {
        let image = try ImageFixtures.decode("webp-animated.webp")
        #expect(image.format == .webp && image.width == 32 && image.height == 32)
        let reference = try #require(ImageFixtures.references()["webp-animated.webp"])
        #expect(reference.lossless)
        #expect(image.pixels.fnv1a64 == reference.fnv1a64)
    }

    @Test("a first frame smaller than the canvas sits at its offset on white")
    func placesOffsetFrame() throws {
        var data = try ImageFixtures.data("webp-animated.webp")
        let frame = try ImageDecoder.decode(data).pixels
        // Grow the VP8X canvas to 40x40 and move the 32x32 first frame to (4, 6); offsets are stored halved.
        data.replaceSubrange(24..<30, with: [39, 0, 0, 39, 0, 0])
        let anmf = try #require(data.firstRange(of: Data("ANMF".utf8))).upperBound + 4
        data.replaceSubrange(anmf..<anmf + 6, with: [2, 0, 0, 3, 0, 0])
        let image = try ImageDecoder.decode(data)
        #expect(image.width == 40 && image.height == 40)
        for (x, y) in [(0, 0), (39, 39), (3, 20), (20, 5), (36, 20), (20, 38)] {
            #expect(image.pixels.pixel(x: x, y: y) == [255, 255, 255], "(\(x), \(y)) is outside the frame")
        }
        for (x, y) in [(0, 0), (31, 0), (0, 31), (31, 31), (17, 9)] {
            #expect(image.pixels.pixel(x: x + 4, y: y + 6) == frame.pixel(x: x, y: y))
        }
        // A frame that would overflow the canvas is corruption.
        data.replaceSubrange(anmf..<anmf + 6, with: [5, 0, 0, 0, 0, 0])
        #expect(ImageFixtures.decodeError(data)?.kind == .corruptImage)
    }

    @Test(
        "a WebP cut at any point is truncated, never accepted",
        arguments: ["webp-lossy.webp", "webp-lossless-alpha.webp", "webp-animated.webp"])
    func rejectsEveryTruncation(name: String) throws {
        let data = try ImageFixtures.data(name)
        for cut in stride(from: 12, to: data.count, by: max(1, data.count / 40)) {
            let error = ImageFixtures.decodeError(data.prefix(cut))
            #expect(
                error?.kind == .truncatedImage, "\(name) cut at \(cut) of \(data.count): \(String(describing: error))")
        }
    }
}
