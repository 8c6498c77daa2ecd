import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct EXIFOrientationTests {
    @Test("each of the 8 EXIF orientations displays as the upright photo", arguments: 1...8)
    func appliesOrientation(value: Int) throws {
        let upright = try ImageFixtures.decode("orientation-upright.jpg")
        let image = try ImageFixtures.decode("orientation-\(value).jpg")
        #expect(image.width == 96 && image.height == 64)
        #expect(image.pixels.width == 96 && image.pixels.height == 64)
        let difference = image.pixels.meanAbsoluteDifference(to: upright.pixels)
        #expect(difference < 3, "orientation \(value): mean abs diff \(difference)")
        // The comparison can tell orientations apart: the same pixels mirrored are far from upright.
        let mirrored = image.pixels.oriented(.flipHorizontal)
        #expect(mirrored.meanAbsoluteDifference(to: upright.pixels) > 15)
        // Corners carry the same colour as the upright photo's corners.
        for (x, y) in [(0, 0), (95, 0), (0, 63), (95, 63)] {
            let ours = image.pixels.pixel(x: x, y: y), theirs = upright.pixels.pixel(x: x, y: y)
            for (a, b) in zip(ours, theirs) { #expect(abs(Int(a) - Int(b)) < 24, "orientation \(value) at \(x),\(y)") }
        }
    }

    @Test("PNG eXIf and WebP EXIF orientations are applied exactly")
    func appliesLosslessOrientation() throws {
        let png = try ImageFixtures.decode("png-orientation-6.png")
        let webp = try ImageFixtures.decode("webp-orientation-8.webp")
        #expect(png.width == 96 && png.height == 64)
        #expect(png.pixels == webp.pixels)
        let upright = try ImageFixtures.decode("orientation-upright.jpg")
        #expect(png.pixels.meanAbsoluteDifference(to: upright.pixels) < 3)
    }

    /// A 3x2 image whose pixel values are their stored positions: 1 2 3 / 4 5 6.
    static let labelled = PixelImage(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])

    @Test(
        "orientation transforms move every pixel where the EXIF standard says",
        arguments: [
            (EXIFOrientation.identity, 3, [1, 2, 3, 4, 5, 6] as [UInt8]),
            (.flipHorizontal, 3, [3, 2, 1, 6, 5, 4]),
            (.rotate180, 3, [6, 5, 4, 3, 2, 1]),
            (.flipVertical, 3, [4, 5, 6, 1, 2, 3]),
            (.transpose, 2, [1, 4, 2, 5, 3, 6]),
            (.rotate90, 2, [4, 1, 5, 2, 6, 3]),
            (.transverse, 2, [6, 3, 5, 2, 4, 1]),
            (.rotate270, 2, [3, 6, 2, 5, 1, 4]),
        ])
    func transformsPixels(orientation: EXIFOrientation, width: Int, expected: [UInt8]) {
        let gray = Self.labelled.oriented(orientation)
        #expect(gray.width == width && gray.height == 6 / width)
        #expect(gray.pixels == expected)
        // RGB moves whole pixels: channel c of each pixel is label * 10 + c.
        let rgb = PixelImage(width: 3, height: 2, channels: 3, pixels: Self.spread(Self.labelled.pixels))
        #expect(rgb.oriented(orientation).pixels == Self.spread(expected))
    }

    /// Each label l becomes the RGB pixel (10l, 10l+1, 10l+2).
    static func spread(_ labels: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for label in labels { out += [label * 10, label * 10 + 1, label * 10 + 2] }
        return out
    }

    @Test("rotations compose: four quarter turns and two flips are the identity")
    func composes() {
        let image = Self.labelled
        #expect(image.oriented(.rotate90).oriented(.rotate90).oriented(.rotate90).oriented(.rotate90) == image)
        #expect(image.oriented(.rotate90).oriented(.rotate270) == image)
        #expect(image.oriented(.transpose).oriented(.transpose) == image)
        #expect(image.oriented(.transverse).oriented(.transverse) == image)
        #expect(image.oriented(.flipHorizontal).oriented(.flipVertical) == image.oriented(.rotate180))
    }

    // MARK: parsing

    /// A TIFF structure with IFD0 = [(tag, type, count, value)], in either byte order.
    static func tiff(bigEndian: Bool, entries: [(UInt16, UInt16, UInt32, UInt32)], ifdOffset: UInt32 = 8) -> Data {
        func u16(_ v: UInt16) -> [UInt8] {
            bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
        }
        func u32(_ v: UInt32) -> [UInt8] {
            let b = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            return bigEndian ? b : b.reversed()
        }
        var bytes: [UInt8] = Array((bigEndian ? "MM" : "II").utf8) + u16(42) + u32(ifdOffset)
        bytes += u16(UInt16(entries.count))
        for (tag, type, count, value) in entries {
            bytes += u16(tag) + u16(type) + u32(count)
            // SHORT values are left-justified in the 4-byte field.
            bytes += type == 3 ? u16(UInt16(value)) + [0, 0] : u32(value)
        }
        bytes += u32(0)
        return Data(bytes)
    }

    @Test("reads the orientation tag in both byte orders, as SHORT or LONG", arguments: [false, true])
    func parsesBothByteOrders(bigEndian: Bool) {
        for value in 1...8 {
            let entries: [(UInt16, UInt16, UInt32, UInt32)] = [
                (0x010F, 2, 4, 0x4142_4300), (0x0112, 3, 1, UInt32(value)),
            ]
            #expect(EXIFOrientation(tiff: Self.tiff(bigEndian: bigEndian, entries: entries))?.rawValue == value)
            let long = Self.tiff(bigEndian: bigEndian, entries: [(0x0112, 4, 1, UInt32(value))])
            #expect(EXIFOrientation(tiff: long)?.rawValue == value)
            #expect(EXIFOrientation(tiff: Data("Exif\0\0".utf8) + long)?.rawValue == value)
        }
    }

    @Test("missing, out-of-range or mistyped orientation tags mean no orientation")
    func rejectsBadTags() {
        #expect(EXIFOrientation(tiff: Self.tiff(bigEndian: false, entries: [(0x010F, 2, 4, 0)])) == nil)
        #expect(EXIFOrientation(tiff: Self.tiff(bigEndian: false, entries: [(0x0112, 3, 1, 0)])) == nil)
        #expect(EXIFOrientation(tiff: Self.tiff(bigEndian: true, entries: [(0x0112, 3, 1, 9)])) == nil)
        #expect(EXIFOrientation(tiff: Self.tiff(bigEndian: true, entries: [(0x0112, 2, 1, 6)])) == nil)
        #expect(EXIFOrientation(tiff: Self.tiff(bigEndian: true, entries: [(0x0112, 3, 0, 6)])) == nil)
        #expect(EXIFOrientation(tiff: Data("IM*\0\u{8}\0\0\0".utf8)) == nil)
        #expect(EXIFOrientation(tiff: Data()) == nil)
    }

    @Test("hostile IFD offsets and counts never read out of bounds")
    func survivesHostileOffsets() {
        let orientation: [(UInt16, UInt16, UInt32, UInt32)] = [(0x0112, 3, 1, 6)]
        for bigEndian in [false, true] {
            // IFD0 past the end, at the header, at itself via the next-IFD link, and at the last byte.
            for offset: UInt32 in [0, 2, 4, 7, 25, 26, 1000, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000] {
                let data = Self.tiff(bigEndian: bigEndian, entries: orientation, ifdOffset: offset)
                let parsed = EXIFOrientation(tiff: data)
                #expect(parsed == nil || parsed == .rotate90)
            }
            // An entry count far beyond the bytes present: entries that exist are read, the walk stops at the end.
            var bytes = [UInt8](Self.tiff(bigEndian: bigEndian, entries: [(0x010F, 2, 4, 0)]))
            bytes[8] = 0xFF
            bytes[9] = 0xFF
            #expect(EXIFOrientation(tiff: Data(bytes)) == nil)
            bytes = [UInt8](Self.tiff(bigEndian: bigEndian, entries: orientation))
            bytes[8] = 0xFF
            bytes[9] = 0xFF
            #expect(EXIFOrientation(tiff: Data(bytes)) == .rotate90)
        }
        let good = Self.tiff(bigEndian: true, entries: [(0x010F, 2, 4, 0), (0x0112, 3, 1, 6)])
        #expect(EXIFOrientation(tiff: good) == .rotate90)
        for length in 0..<good.count {
            let parsed = EXIFOrientation(tiff: good.prefix(length))
            #expect(parsed == nil || parsed == .rotate90, "cut at \(length)")
        }
    }

    @Test("random mutations of a real EXIF block never crash the parser or the decoder")
    func fuzzesMutations() throws {
        let jpeg = try ImageFixtures.data("orientation-6.jpg")
        let app1 = try #require(jpeg.firstRange(of: Data("Exif\0\0".utf8)))
        let segmentLength = Int(jpeg[app1.lowerBound - 2]) << 8 | Int(jpeg[app1.lowerBound - 1])
        let tiffRange = app1.upperBound..<(app1.lowerBound - 2 + segmentLength)
        #expect(EXIFOrientation(tiff: jpeg[tiffRange]) == .rotate90)
        var generator = SeededGenerator(seed: 0x5EED)
        var decodedWithBadEXIF = 0
        for round in 0..<3000 {
            var mutated = jpeg
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let index = tiffRange.lowerBound + Int(generator.next() % UInt64(tiffRange.count))
                mutated[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = EXIFOrientation(tiff: mutated[tiffRange])
            if round % 30 == 0 {
                // The whole decoder: a broken EXIF block can change the orientation, never the outcome.
                let image = try ImageDecoder.decode(mutated)
                #expect(image.width * image.height == 96 * 64)
                decodedWithBadEXIF += 1
            }
        }
        #expect(decodedWithBadEXIF == 100)
    }

    @Test("an APP1 segment whose length runs past the file is truncation, not a crash")
    func survivesOverlongSegment() throws {
        let jpeg = try ImageFixtures.data("orientation-3.jpg")
        let app1 = try #require(jpeg.firstRange(of: Data("Exif\0\0".utf8)))
        var broken = jpeg
        broken[app1.lowerBound - 2] = 0xFF
        broken[app1.lowerBound - 1] = 0xF0
        let error = #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(broken) }
        #expect(error?.kind == .truncatedImage || error?.kind == .corruptImage)
    }
}

