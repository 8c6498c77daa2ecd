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

    @Test("every photo in the repo decodes, at full size and scaled")
    func decodesAllPhotos() throws {
        let photos = Fixtures.photos
        #expect(photos.count == 32)
        for url in photos {
            let data = try Data(contentsOf: url)
            let image = try ImageDecoder.decode(data)
            // SOURCES.md: longest side at most 512 px; the shortest photo side is 300 px.
            #expect((256...512).contains(image.width) && (256...512).contains(image.height))
            #expect(image.pixels.width == image.width && image.pixels.channels == 3)
            let scaled = try ImageDecoder.decode(data, options: DecodeOptions(minimumSide: 100))
            #expect(min(scaled.pixels.width, scaled.pixels.height) >= 100)
            #expect(scaled.pixels.width < image.width)
        }
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
        #expect { try ImageDecoder.decode(Data("hello".utf8)) } throws: {
            ($0 as? ImageDecodeError)?.kind == .unsupportedFormat
        }
    }

    @Test(
        "the format comes from the magic bytes, never the file name",
        arguments: [
            ("mislabeled-png.jpg", ImageFormat.png), ("mislabeled-jpeg.webp", .jpeg), ("png-rgb8.png", .png),
            ("webp-lossy.webp", .webp), ("jpeg-gray.jpg", .jpeg), ("bad-garbage.jpg", .unknown),
        ])
    func sniffsMagicBytes(name: String, format: ImageFormat) throws {
        let data = try ImageFixtures.data(name)
        #expect(ImageDecoder.sniff(data) == format)
    }

    @Test("a PNG saved as .jpg decodes as the PNG it is")
    func decodesMislabeledFiles() throws {
        let mislabeled = try ImageFixtures.decode("mislabeled-png.jpg")
        let real = try ImageFixtures.decode("png-rgb8.png")
        #expect(mislabeled.format == .png)
        #expect(mislabeled == real)
        let jpegAsWebP = try ImageFixtures.decode("mislabeled-jpeg.webp")
        #expect(jpegAsWebP.format == .jpeg && jpegAsWebP.width == 96 && jpegAsWebP.height == 64)
    }

    @Test(
        "every bad file is reported with its problem kind",
        arguments: [
            ("bad-empty.jpg", ProblemKind.emptyImage),
            ("bad-garbage.jpg", .unsupportedFormat),
            ("bad-truncated.jpg", .truncatedImage),
            ("bad-truncated-header.jpg", .truncatedImage),
            ("bad-truncated.png", .truncatedImage),
            ("bad-truncated.webp", .truncatedImage),
            ("bad-corrupt.jpg", .corruptImage),
            ("bad-corrupt.png", .corruptImage),
            ("bomb.jpg", .oversizedImage),
            ("bomb.png", .oversizedImage),
            ("bomb.webp", .oversizedImage),
        ])
    func reportsBadFiles(name: String, kind: ProblemKind) throws {
        let data = try ImageFixtures.data(name)
        let error = #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(data) }
        #expect(error?.kind == kind, "\(name): \(String(describing: error))")
        #expect(error?.message.isEmpty == false)
    }

    @Test(
        "decompression bombs are refused from the header, whatever the file claims",
        arguments: ["bomb.jpg", "bomb.png", "bomb.webp"])
    func refusesBombsFromHeaders(name: String) throws {
        let data = try ImageFixtures.data(name)
        #expect(data.count < 20_000)
        let error = #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(data) }
        // The message names the claimed size, read from the header before anything was allocated.
        let claimed = ["bomb.jpg": "60000x60000", "bomb.png": "100000x100000", "bomb.webp": "16384x16384"][name]!
        #expect(error?.message.contains(claimed) == true, "\(String(describing: error))")
    }

    @Test("the pixel cap applies to every format", arguments: ["jpeg-rgb.jpg", "png-rgb8.png", "webp-lossy.webp"])
    func appliesPixelCap(name: String) throws {
        let data = try ImageFixtures.data(name)
        let image = try ImageDecoder.decode(data)
        let pixels = image.width * image.height
        #expect(throws: ImageDecodeError.self) {
            try ImageDecoder.decode(data, options: DecodeOptions(maxPixels: pixels - 1))
        }
        #expect(try ImageDecoder.decode(data, options: DecodeOptions(maxPixels: pixels)) == image)
    }

    @Test("unsupported formats are named in the message")
    func namesUnsupportedFormats() {
        let gif = Data("GIF89a".utf8) + Data(repeating: 0, count: 20)
        let error = #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(gif) }
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.message.contains("GIF") == true)
    }

    @Test("decodes bytes that are a slice of a larger buffer")
    func decodesSlices() throws {
        let data = try ImageFixtures.data("png-rgb8.png")
        let padded = Data([1, 2, 3]) + data + Data([4, 5])
        let slice = padded[3..<(3 + data.count)]
        #expect(slice.startIndex == 3)
        #expect(try ImageDecoder.decode(slice) == ImageDecoder.decode(data))
    }
}
