import CurateTestSupport
import Detect
import Foundation

/// The encoded fixtures in `Tests/Fixtures/images/` (written by `scripts/make-image-fixtures.py`) and small
/// pixel statistics the imaging tests compare.
enum ImageFixtures {
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: Fixtures.url("images/\(name)"))
    }

    static func decode(_ name: String, options: DecodeOptions = DecodeOptions()) throws -> DecodedImage {
        try ImageDecoder.decode(data(name), options: options)
    }

    /// The error decoding `data` throws, or nil when it decodes (kept small so a failing loop prints little).
    static func decodeError(_ data: Data) -> ImageDecodeError? {
        do {
            _ = try ImageDecoder.decode(data)
            return nil
        } catch {
            return error
        }
    }

    /// What Pillow decoded from one fixture (`reference.json`).
    struct Reference: Decodable, Sendable {
        var width: Int
        var height: Int
        var channels: Int
        var mean: [Double]
        var fnv1a64: String
        var lossless: Bool
    }

    static func references() throws -> [String: Reference] {
        try JSONDecoder().decode([String: Reference].self, from: data("reference.json"))
    }

    /// What Pillow decoded from a JPEG in draft mode (DCT scaling by 1/k), with the `minimumSide` that makes our
    /// decoder pick the same factor (`reference-scaled.json`).
    struct ScaledReference: Decodable, Sendable {
        var minimumSide: Int
        var width: Int
        var height: Int
        var channels: Int
        var mean: [Double]
        var fnv1a64: String
    }

    static func scaledReferences() throws -> [String: ScaledReference] {
        try JSONDecoder().decode([String: ScaledReference].self, from: data("reference-scaled.json"))
    }

    /// Names of the good fixtures Pillow decoded, sorted.
    static var referenceNames: [String] {
        ((try? references()) ?? [:]).keys.sorted()
    }
}

extension PixelImage {
    /// Mean of each channel.
    var channelMeans: [Double] {
        var sums = [Int](repeating: 0, count: channels)
        for (index, value) in pixels.enumerated() { sums[index % channels] += Int(value) }
        let count = Double(width * height)
        return sums.map { Double($0) / count }
    }

    /// FNV-1a 64 of the pixel bytes, as the fixture script computes it, in 16 hex digits.
    var fnv1a64: String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in pixels { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Mean absolute difference per sample against an image of the same shape.
    func meanAbsoluteDifference(to other: PixelImage) -> Double {
        precondition(width == other.width && height == other.height && channels == other.channels)
        var total = 0
        for (a, b) in zip(pixels, other.pixels) { total += abs(Int(a) - Int(b)) }
        return Double(total) / Double(pixels.count)
    }

    /// The pixel at (x, y) as an array of its channels.
    func pixel(x: Int, y: Int) -> [UInt8] {
        let start = (y * width + x) * channels
        return Array(pixels[start..<start + channels])
    }
}
