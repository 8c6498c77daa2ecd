import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ThumbnailerTests {
    /// Mean of each channel, to compare a thumbnail with its source.
    static func meanColour(_ image: PixelImage) -> [Double] {
        var sums = [Double](repeating: 0, count: image.channels)
        for (index, value) in image.pixels.enumerated() { sums[index % image.channels] += Double(value) }
        return sums.map { $0 / Double(image.width * image.height) }
    }

    @Test("a photo becomes a JPEG of at most 128 px that decodes back and keeps its colours")
    func thumbnailOfPhoto() throws {
        let data = try Data(contentsOf: Fixtures.url("photos/chelsea.jpg"))
        let source = try ImageDecoder.decode(data).pixels
        let thumbnail = try Thumbnailer.jpeg(fromImageData: data)
        #expect(ImageDecoder.sniff(thumbnail) == .jpeg)
        #expect(thumbnail.count < 12_000)
        let back = try ImageDecoder.decode(thumbnail)
        #expect(back.width == 128 && back.height == 85)
        let expected = Self.meanColour(source)
        let actual = Self.meanColour(back.pixels)
        for channel in 0..<3 { #expect(abs(expected[channel] - actual[channel]) < 4, "channel \(channel)") }
    }

    @Test("every fixture photo thumbnails within the size bound", arguments: Fixtures.photos.prefix(8))
    func thumbnailsWithinBound(url: URL) throws {
        let thumbnail = try Thumbnailer.jpeg(fromImageData: try Data(contentsOf: url), maxSide: 96)
        let back = try ImageDecoder.decode(thumbnail)
        #expect(max(back.width, back.height) == 96)
        #expect(min(back.width, back.height) >= 1)
    }

    @Test("the box filter averages exactly the pixels each output pixel covers")
    func boxFilterAverages() throws {
        let data = try Data(contentsOf: Fixtures.url("photos/coins.jpg"))
        let photo = try ImageDecoder.decode(data).pixels
        // A 4x4 crop of the real photo, halved: each output pixel is the mean of a 2x2 block.
        var crop: [UInt8] = []
        for y in 0..<4 { for x in 0..<4 { crop += photo.pixels[((y * photo.width) + x) * photo.channels ..< ((y * photo.width) + x) * photo.channels + photo.channels] } }
        let small = Thumbnailer.downscale(PixelImage(width: 4, height: 4, channels: photo.channels, pixels: crop), maxSide: 2)
        #expect(small.width == 2 && small.height == 2)
        for by in 0..<2 {
            for bx in 0..<2 {
                for c in 0..<photo.channels {
                    var sum = 0
                    for dy in 0..<2 { for dx in 0..<2 { sum += Int(crop[((by * 2 + dy) * 4 + bx * 2 + dx) * photo.channels + c]) } }
                    let expected = UInt8((Double(sum) / 4).rounded())
                    #expect(abs(Int(small.pixels[(by * 2 + bx) * photo.channels + c]) - Int(expected)) <= 1)
                }
            }
        }
    }

    @Test("a gray image stays gray and a small image keeps its size")
    func grayAndSmall() throws {
        let photo = try ImageDecoder.decode(try Data(contentsOf: Fixtures.url("photos/camera.jpg")), options: DecodeOptions(minimumSide: 64)).pixels
        let gray = PixelImage(
            width: photo.width, height: photo.height, channels: 1,
            pixels: stride(from: 0, to: photo.pixels.count, by: photo.channels).map { photo.pixels[$0] })
        let thumbnail = try Thumbnailer.jpeg(from: gray, maxSide: 200)
        let back = try ImageDecoder.decode(thumbnail)
        #expect(back.pixels.channels == 1)
        #expect(back.width == gray.width && back.height == gray.height)
        #expect(abs(Self.meanColour(back.pixels)[0] - Self.meanColour(gray)[0]) < 3)
    }

    @Test("the same input gives the same bytes")
    func deterministic() throws {
        let data = try Data(contentsOf: Fixtures.url("photos/fruits.jpg"))
        #expect(try Thumbnailer.jpeg(fromImageData: data) == Thumbnailer.jpeg(fromImageData: data))
    }

    @Test("bad arguments and bad bytes are typed errors")
    func rejectsBadInput() throws {
        let photo = try ImageDecoder.decode(try Data(contentsOf: Fixtures.url("photos/apple.jpg"))).pixels
        #expect(throws: ThumbnailError.self) { try Thumbnailer.jpeg(from: photo, maxSide: 0) }
        #expect(throws: ThumbnailError.self) { try Thumbnailer.jpeg(from: photo, quality: 101) }
        #expect(throws: ImageDecodeError.self) { try Thumbnailer.jpeg(fromImageData: Data("not an image".utf8)) }
    }
}
