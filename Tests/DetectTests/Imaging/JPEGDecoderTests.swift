import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct JPEGDecoderTests {
    @Test("a grayscale JPEG decodes to one channel")
    func decodesGray() throws {
        let image = try ImageFixtures.decode("jpeg-gray.jpg")
        #expect(image.format == .jpeg)
        #expect(image.pixels.channels == 1)
        #expect(image.pixels.width == 64 && image.pixels.height == 64)
    }

    @Test("a progressive JPEG decodes like Pillow decodes it")
    func decodesProgressive() throws {
        let data = try ImageFixtures.data("jpeg-progressive.jpg")
        #expect(data.firstRange(of: Data([0xFF, 0xC2])) != nil, "fixture must be progressive (SOF2)")
        let image = try ImageDecoder.decode(data)
        #expect(image.pixels.channels == 3 && image.width == 80 && image.height == 80)
        let reference = try #require(ImageFixtures.references()["jpeg-progressive.jpg"])
        for (ours, theirs) in zip(image.pixels.channelMeans, reference.mean) { #expect(abs(ours - theirs) < 1) }
    }

    @Test("Adobe CMYK and YCCK JPEGs convert to the same RGB, close to Pillow's")
    func decodesCMYKAndYCCK() throws {
        let cmyk = try ImageFixtures.decode("jpeg-cmyk.jpg")
        let ycck = try ImageFixtures.decode("jpeg-ycck.jpg")
        #expect(cmyk.pixels.channels == 3 && cmyk.width == 96 && cmyk.height == 90)
        // Two lossy encodings of one image (Pillow's CMYK, TurboJPEG's YCCK): close, not equal.
        #expect(cmyk.pixels.meanAbsoluteDifference(to: ycck.pixels) < 5)
        let references = try ImageFixtures.references()
        for (name, image) in [("jpeg-cmyk.jpg", cmyk), ("jpeg-ycck.jpg", ycck)] {
            let reference = try #require(references[name])
            for (ours, theirs) in zip(image.pixels.channelMeans, reference.mean) {
                #expect(abs(ours - theirs) < 1, "\(name)")
            }
        }
        // Inverted CMYK read as plain CMYK would come out as a near-negative: the fruit photo is mostly warm.
        let means = cmyk.pixels.channelMeans
        #expect(means[0] > means[2] + 30)
    }

    @Test("CMYK JPEGs scale in the DCT domain too")
    func scalesCMYK() throws {
        let image = try ImageFixtures.decode("jpeg-cmyk.jpg", options: DecodeOptions(minimumSide: 40))
        #expect(image.width == 96 && image.height == 90)
        #expect(image.pixels.width == 48 && image.pixels.height == 45 && image.pixels.channels == 3)
    }

    @Test("DCT scaling keeps the orientation and reports the full upright size")
    func scalesOrientedImages() throws {
        let image = try ImageFixtures.decode("orientation-6.jpg", options: DecodeOptions(minimumSide: 32))
        #expect(image.width == 96 && image.height == 64)
        #expect(image.pixels.width == 48 && image.pixels.height == 32)
    }

    @Test(
        "a JPEG cut at any point is reported as truncated, never silently accepted",
        arguments: ["jpeg-rgb.jpg", "jpeg-progressive.jpg", "jpeg-gray.jpg"])
    func rejectsEveryTruncation(name: String) throws {
        let data = try ImageFixtures.data(name)
        var cuts = Array(stride(from: 3, to: data.count, by: max(1, data.count / 40)))
        cuts += [data.count - 1, data.count - 2]
        for cut in cuts {
            let error = ImageFixtures.decodeError(data.prefix(cut))
            #expect(
                error?.kind == .truncatedImage, "\(name) cut at \(cut) of \(data.count): \(String(describing: error))")
        }
    }

    @Test("bytes after the end-of-image marker are ignored, as every viewer ignores them")
    func acceptsTrailingBytes() throws {
        let data = try ImageFixtures.data("jpeg-rgb.jpg")
        let clean = try ImageDecoder.decode(data)
        let padded = try ImageDecoder.decode(data + Data(repeating: 0x00, count: 64) + Data("trailer".utf8))
        #expect(padded == clean)
    }

    @Test("data damaged in the middle of a scan but properly ended still decodes")
    func acceptsDamagedScanWithEnd() throws {
        var data = try ImageFixtures.data("jpeg-rgb.jpg")
        let middle = data.count / 2
        for index in middle..<middle + 40 where ![0xFF, 0x00, 0xAA].contains(data[index]) {
            data[index] ^= 0x55
        }
        let image = try ImageDecoder.decode(data)
        let clean = try ImageFixtures.decode("jpeg-rgb.jpg")
        #expect(image.width == clean.width && image.height == clean.height)
        #expect(image.pixels != clean.pixels)
    }

    @Test("a progressive JPEG with hundreds of repeated scans (a CPU bomb) is refused")
    func refusesScanBombs() throws {
        let data = try ImageFixtures.data("jpeg-progressive.jpg")
        // Repeat the last scan (its SOS segment and entropy data) 600 times before EOI.
        let lastScan = try #require(data.lastRange(of: Data([0xFF, 0xDA]))).lowerBound
        let end = data.count - 2
        #expect(data[end] == 0xFF && data[end + 1] == 0xD9)
        let scan = data[lastScan..<end]
        var bomb = data[..<end]
        for _ in 0..<600 { bomb += scan }
        bomb += Data([0xFF, 0xD9])
        let error = ImageFixtures.decodeError(bomb)
        #expect(error?.kind == .corruptImage, "\(String(describing: error))")
        #expect(error?.message.contains("scan") == true)
    }

    @Test("a small baseline JPEG claiming a large image under the cap is refused from its scan size")
    func refusesImpossibleScanSizes() throws {
        var data = try ImageFixtures.data("jpeg-rgb.jpg")
        let frame = try #require(data.firstRange(of: Data([0xFF, 0xC0]))).lowerBound
        data.replaceSubrange(frame + 5..<frame + 9, with: [0x23, 0x28, 0x23, 0x28])  // 9000x9000
        let error = ImageFixtures.decodeError(data)
        #expect(error?.kind == .corruptImage, "\(String(describing: error))")
        #expect(error?.message.contains("too short for 9000x9000") == true)
        let cut = ImageFixtures.decodeError(data.prefix(data.count - 2))
        #expect(cut?.kind == .truncatedImage, "\(String(describing: cut))")
    }
}
