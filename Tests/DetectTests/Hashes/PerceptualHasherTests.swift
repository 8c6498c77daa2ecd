import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct PerceptualHasherTests {
    static let golden = try! GoldenHashes.load()
    static let names = Fixtures.photos.map(\.lastPathComponent)

    @Test("the pHash DCT and median on Pillow's own 32x32 luma give imagehash's exact bits", arguments: names)
    func phashExactOnSameLuma(name: String) throws {
        let photo = try #require(Self.golden.photos[name])
        let bits = try #require(PerceptualHasher.phash(luma32x32: GoldenHashes.bytes(photo.luma32)))
        #expect(hex64(bits) == photo.phash)
    }

    @Test("Pillow's Lanczos resize is reproduced bit for bit on the same pixels", arguments: names)
    func lanczosMatchesPillow(name: String) throws {
        let photo = try #require(Self.golden.photos[name])
        let image = try ImageDecoder.decode(Data(contentsOf: Fixtures.url("photos/\(name)"))).pixels
        #expect([image.width, image.height] == photo.size)
        let ours32 = PerceptualHasher.pillowGrayResize(image, width: 32, height: 32)
        let ours9x8 = PerceptualHasher.pillowGrayResize(image, width: 9, height: 8)
        // TurboJPEG here and Pillow's bundled libjpeg-turbo decode these baseline JPEGs to the same pixels, so the
        // resized luma must match to the byte (this is what makes full-size pHash/dHash equal imagehash's).
        #expect(ours32 == GoldenHashes.bytes(photo.luma32))
        #expect(ours9x8 == GoldenHashes.bytes(photo.luma9x8))
    }

    @Test("full-size pHash and dHash are within 4 bits of imagehash, PDQ within 10 bits of the reference", arguments: names)
    func fullSizeMatchesReference(name: String) throws {
        let photo = try #require(Self.golden.photos[name])
        let image = try ImageDecoder.decode(Data(contentsOf: Fixtures.url("photos/\(name)"))).pixels
        let ours = PerceptualHasher.hashes(of: image)
        #expect(hammingDistance(ours.phash, try #require(parseHex64(photo.phash))) <= 4)
        #expect(hammingDistance(ours.dhash, try #require(parseHex64(photo.dhash))) <= 4)
        #expect(abs(ours.pdqQuality - photo.quality) <= 2)
        if photo.quality >= 80 {
            #expect(ours.pdq.distance(to: try #require(PDQHash(hex: photo.pdq))) <= 10)
        }
    }

    @Test("features from a DCT-scaled decode stay within tolerance of the full-size reference")
    func scaledDecodeMatchesReference() throws {
        var pdqDistances: [Int] = []
        for url in Fixtures.photos {
            let photo = try #require(Self.golden.photos[url.lastPathComponent])
            let features = try FeatureExtractor.features(of: Data(contentsOf: url))
            #expect([features.width, features.height] == photo.size)
            #expect(hammingDistance(features.hashes.phash, try #require(parseHex64(photo.phash))) <= 4, "\(url.lastPathComponent)")
            #expect(hammingDistance(features.hashes.dhash, try #require(parseHex64(photo.dhash))) <= 4, "\(url.lastPathComponent)")
            #expect(abs(features.hashes.pdqQuality - photo.quality) <= 5)
            if photo.quality >= 80 { pdqDistances.append(features.hashes.pdq.distance(to: try #require(PDQHash(hex: photo.pdq)))) }
        }
        // PDQ resamples a DCT-scaled image rather than the full one: it drifts a few bits (most on fine textures
        // such as brick), far below its match threshold (~31); the exact case is the full-size test above.
        let mean = Double(pdqDistances.reduce(0, +)) / Double(max(pdqDistances.count, 1))
        #expect(mean <= 6, "mean PDQ distance \(mean)")
        #expect((pdqDistances.max() ?? 0) <= 32)
        #expect(pdqDistances.filter { $0 <= 10 }.count >= pdqDistances.count * 3 / 4)
    }

    @Test("hex forms round-trip and follow the reference bit order")
    func hexRoundTrip() throws {
        let hash = PDQHash(1, 0, 0, 1 << 63)
        #expect(hash.hex == "8000000000000000" + String(repeating: "0", count: 32) + "0000000000000001")
        #expect(PDQHash(hex: hash.hex) == hash)
        #expect(PDQHash(hex: "xyz") == nil)
        #expect(PDQHash(hex: String(repeating: "g", count: 64)) == nil)
        #expect(parseHex64("ffd8a1") == 0xffd8a1)
        #expect(parseHex64("-1") == nil)
        #expect(parseHex64(String(repeating: "f", count: 17)) == nil)
    }

    @Test("a flat image has PDQ quality 0 and tiny images hash without crashing")
    func degenerateImages() {
        let flat = PixelImage(width: 40, height: 30, channels: 1, pixels: [UInt8](repeating: 128, count: 1200))
        #expect(PerceptualHasher.pdq(of: flat).quality == 0)
        let tiny = PixelImage(width: 2, height: 3, channels: 3, pixels: [UInt8](repeating: 9, count: 18))
        let hashes = PerceptualHasher.hashes(of: tiny)
        #expect(hashes.pdqQuality == 0 && hashes.pdq == PDQHash(0, 0, 0, 0))
        let onePixel = PixelImage(width: 1, height: 1, channels: 1, pixels: [200])
        #expect(PerceptualHasher.hashes(of: onePixel).pdqQuality == 0)
    }
}
