import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ImageDecoderTests {
    @Test("decodes a real JPEG to RGB at full size")
    func decodesJPEG() throws {
        let data = try Data(contentsOf: Fixtures.url("photos/chelsea.jpg"))
        let image = try ImageDecoder.decode(data)
        #expect(image.format == .jpeg)
        #expect(image.width == 451 && image.height == 300)
        #expect(image.pixels.width == 451 && image.pixels.channels == 3)
        #expect(Set(image.pixels.pixels).count > 100)
    }

    @Test("DCT scaling decodes only the resolution asked for")
    func scalesDown() throws {
        let data = try Data(contentsOf: Fixtures.url("photos/astronaut.jpg"))
        let image = try ImageDecoder.decode(data, options: DecodeOptions(minimumSide: 64))
        #expect(image.width == 512)
        #expect(image.pixels.width == 64 && image.pixels.height == 64)
    }

    @Test("an empty file and a non-image are reported by kind")
    func rejectsBadBytes() {
        #expect(throws: ImageDecodeError(.emptyImage, "the file is empty")) { try ImageDecoder.decode(Data()) }
        #expect { try ImageDecoder.decode(Data("hello".utf8)) } throws: { ($0 as? ImageDecodeError)?.kind == .unsupportedFormat }
    }
}
