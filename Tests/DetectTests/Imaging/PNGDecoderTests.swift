import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct PNGDecoderTests {
    @Test(
        "every PNG colour type and depth decodes to gray or RGB of the right size",
        arguments: [
            ("png-rgb8.png", 64, 64, 3), ("png-rgb16.png", 64, 64, 3), ("png-gray8.png", 64, 64, 1),
            ("png-gray16.png", 64, 64, 1), ("png-gray1.png", 64, 50, 1), ("png-gray-alpha.png", 64, 50, 1),
            ("png-palette.png", 64, 60, 3), ("png-palette-trns.png", 64, 60, 3), ("png-rgba.png", 64, 60, 3),
            ("png-interlaced.png", 61, 53, 3), ("png-gray-trns.png", 64, 64, 1), ("png-rgb-trns.png", 64, 60, 3),
        ])
    func decodesColourTypes(name: String, width: Int, height: Int, channels: Int) throws {
        let image = try ImageFixtures.decode(name)
        #expect(image.format == .png)
        #expect(image.width == width && image.height == height)
        #expect(image.pixels.width == width && image.pixels.height == height && image.pixels.channels == channels)
    }

    @Test("16-bit samples keep their high byte: the 16-bit PNG equals its 8-bit twin")
    func reducesSixteenBits() throws {
        #expect(try ImageFixtures.decode("png-rgb16.png").pixels == ImageFixtures.decode("png-rgb8.png").pixels)
        #expect(try ImageFixtures.decode("png-gray16.png").pixels == ImageFixtures.decode("png-gray8.png").pixels)
    }

    @Test("transparent pixels become white, opaque ones keep their colour")
    func compositesOverWhite() throws {
        // The fixture's alpha is opaque in the top-left quarter and fully transparent in the bottom-right one.
        let rgba = try ImageFixtures.decode("png-rgba.png").pixels
        #expect(rgba.pixel(x: 63, y: 59) == [255, 255, 255])
        let opaque = try ImageFixtures.decode("png-palette.png").pixels.pixel(x: 0, y: 0)
        #expect(opaque != [255, 255, 255])
        let grayAlpha = try ImageFixtures.decode("png-gray-alpha.png").pixels
        #expect(grayAlpha.pixel(x: 63, y: 49) == [255])
        #expect(grayAlpha.pixel(x: 0, y: 0) != [255])
    }

    @Test("a tRNS colour key turns exactly that colour white")
    func appliesColourKey() throws {
        let gray = try ImageFixtures.decode("png-gray-trns.png").pixels
        let rgb = try ImageFixtures.decode("png-rgb-trns.png").pixels
        // The key is the most common value, so white must now be common in both.
        #expect(gray.pixels.filter { $0 == 255 }.count > gray.pixels.count / 16)
        let white = stride(from: 0, to: rgb.pixels.count, by: 3).filter {
            rgb.pixels[$0..<$0 + 3].allSatisfy { $0 == 255 }
        }
        #expect(white.count > rgb.width * rgb.height / 16)
    }

    @Test("an interlaced PNG decodes to the same pixels as Pillow")
    func decodesInterlaced() throws {
        let data = try ImageFixtures.data("png-interlaced.png")
        #expect(data[28] == 1, "fixture must use Adam7 interlacing")
        let image = try ImageDecoder.decode(data)
        let reference = try #require(ImageFixtures.references()["png-interlaced.png"])
        #expect(image.pixels.fnv1a64 == reference.fnv1a64)
    }

    @Test(
        "a PNG cut at any point, even just its IEND chunk, is truncated",
        arguments: ["png-rgb8.png", "png-interlaced.png", "png-palette-trns.png"])
    func rejectsEveryTruncation(name: String) throws {
        let data = try ImageFixtures.data(name)
        var cuts = Array(stride(from: 8, to: data.count, by: max(1, data.count / 40)))
        cuts += (1...16).map { data.count - $0 }
        for cut in cuts {
            let error = ImageFixtures.decodeError(data.prefix(cut))
            #expect(
                error?.kind == .truncatedImage, "\(name) cut at \(cut) of \(data.count): \(String(describing: error))")
        }
    }

    @Test("a bad CRC in a critical chunk is corruption")
    func rejectsBadCRC() throws {
        var data = try ImageFixtures.data("png-gray8.png")
        data[29] ^= 0xFF  // first byte of the IHDR chunk's CRC
        let error = #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(data) }
        #expect(error?.kind == .corruptImage)
    }

    @Test("a tiny PNG claiming a large image under the cap is refused from its chunk sizes")
    func refusesImpossibleCompressionRatios() throws {
        // bomb.png claims 100000x100000; shrink the claim to 5000x4000 (under the default cap) and fix the CRC.
        var data = try ImageFixtures.data("bomb.png")
        let ihdr = Data([0, 0, 0x13, 0x88, 0, 0, 0x0F, 0xA0])  // 5000, 4000
        data.replaceSubrange(16..<24, with: ihdr)
        let crc = crc32(data[12..<29])
        data.replaceSubrange(
            29..<33, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        #expect(data.count < 100)
        let error = ImageFixtures.decodeError(data)
        #expect(error?.kind == .corruptImage, "\(String(describing: error))")
        #expect(error?.message.contains("too short for 5000x4000") == true)
        // Cut before IEND, the same file is truncated.
        let cut = ImageFixtures.decodeError(data.prefix(data.count - 12))
        #expect(cut?.kind == .truncatedImage, "\(String(describing: cut))")
    }

    /// CRC-32 as PNG chunks use it (ISO 3309, reflected, polynomial 0xEDB88320).
    func crc32(_ bytes: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
