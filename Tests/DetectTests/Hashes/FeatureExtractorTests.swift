import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct FeatureExtractorTests {
    @Test("the content hash is XXH3-128 of the bytes, in canonical hex")
    func contentHash() throws {
        #expect(ContentHash(of: Data("hello".utf8)).description == "b5e9c1ad071b3e7fc779cfaa5e523818")
        let features = try Fixtures.features("photos/chelsea.jpg")
        #expect(features.contentHash.description == "0662e69c48db37517eb5d82c5d2bbc9d")
        #expect(features.byteCount == 35042 && features.format == .jpeg)
        #expect(features.width == 451 && features.height == 300)
    }

    @Test("our hashes of every fixture photo equal the committed golden values")
    func ownGoldenValues() throws {
        var photos: [String: OwnHashes.Photo] = [:]
        for url in Fixtures.photos {
            let f = try FeatureExtractor.features(of: Data(contentsOf: url))
            photos[url.lastPathComponent] = OwnHashes.Photo(
                contentHash: f.contentHash.description, width: f.width, height: f.height,
                hashes: .init(f.hashes), mirrored: .init(f.mirrored), trimmed: f.trimmed.map(OwnHashes.View.init),
                centered: f.centered.map(OwnHashes.View.init))
        }
        let current = OwnHashes(decodeMinimumSide: FeatureOptions.defaultDecodeMinimumSide, photos: photos)
        if ProcessInfo.processInfo.environment["CURATE_UPDATE_GOLDEN"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(current).write(to: OwnHashes.url)
        }
        let committed = try JSONDecoder().decode(OwnHashes.self, from: Data(contentsOf: OwnHashes.url))
        #expect(committed.decodeMinimumSide == current.decodeMinimumSide)
        #expect(committed.photos.count == Fixtures.photos.count)
        for (name, photo) in committed.photos.sorted(by: { $0.key < $1.key }) {
            #expect(current.photos[name] == photo, "hash drift in \(name)")
        }
    }

    @Test("a mirrored copy matches the original's mirrored view")
    func mirroredCopy() throws {
        let original = try Fixtures.features("photos/coffee.jpg")
        let copy = try Fixtures.features("hashes/copies/coffee-mirror.jpg")
        #expect(hammingDistance(copy.hashes.phash, original.mirrored.phash) <= 4)
        #expect(hammingDistance(copy.hashes.dhash, original.mirrored.dhash) <= 6)
        #expect(copy.hashes.pdq.distance(to: original.mirrored.pdq) <= 24)
        // And the other way round, which is what makes mirroring symmetric.
        #expect(hammingDistance(copy.mirrored.phash, original.hashes.phash) <= 4)
        #expect(hammingDistance(copy.hashes.phash, original.hashes.phash) > 10)
    }

    @Test("letterboxed and padded copies match their originals through the trimmed view",
          arguments: [("hashes/copies/chelsea-letterbox.jpg", "photos/chelsea.jpg"), ("hashes/copies/astronaut-pad-white.jpg", "photos/astronaut.jpg")])
    func trimmedCopies(copyPath: String, originalPath: String) throws {
        let original = try Fixtures.features(originalPath)
        let copy = try Fixtures.features(copyPath)
        let trimmed = try #require(copy.trimmed)
        #expect(hammingDistance(trimmed.phash, original.hashes.phash) <= 6)
        #expect(trimmed.pdq.distance(to: original.hashes.pdq) <= 30)
        #expect(hammingDistance(trimmed.phash, original.hashes.phash) < hammingDistance(copy.hashes.phash, original.hashes.phash))
    }

    @Test("a 90% crop matches the original's centered view better than its full view")
    func croppedCopy() throws {
        let original = try Fixtures.features("photos/fruits.jpg")
        let copy = try Fixtures.features("hashes/copies/fruits-crop90.jpg")
        let centered = try #require(original.centered)
        #expect(hammingDistance(copy.hashes.phash, centered.phash) <= 6)
        #expect(hammingDistance(copy.hashes.phash, centered.phash) < hammingDistance(copy.hashes.phash, original.hashes.phash))
        #expect(copy.hashes.pdq.distance(to: centered.pdq) < copy.hashes.pdq.distance(to: original.hashes.pdq))
    }

    @Test("photos without a border have no trimmed view")
    func noBorderNoTrim() throws {
        for name in ["chelsea.jpg", "astronaut.jpg", "coffee.jpg", "baboon.jpg"] {
            #expect(try Fixtures.features("photos/\(name)").trimmed == nil, "\(name)")
        }
    }

    @Test("a padded copy's trimmed size is its photo's size in the image's own pixels")
    func trimmedSize() throws {
        let photo = try Fixtures.features("photos/coffee.jpg")
        let padded = try Fixtures.features("neardup/coffee-pad-white.jpg")
        #expect(photo.trimmedSize == nil)
        let (w, h) = try #require(padded.trimmedSize)
        #expect(padded.width * padded.height > photo.width * photo.height)
        // Within 3% of the photo (the trimmer also takes one ringing line of the photo's edge per side).
        #expect(abs(w - photo.width) <= photo.width * 3 / 100, "\(w) vs \(photo.width)")
        #expect(abs(h - photo.height) <= photo.height * 3 / 100, "\(h) vs \(photo.height)")
        #expect(ImageFeatures(binary: padded.binary) == padded)
    }

    @Test("the border trimmer finds a synthetic frame and refuses a flat image; the caption cut leaves such a frame alone")
    func trimmerGeometry() {
        let trimmer = BorderTrimmer()
        var gray = [UInt8](repeating: 0, count: 100 * 80)
        for y in 10..<70 { for x in 5..<95 { gray[y * 100 + x] = UInt8((x * 7 + y * 13) % 251) } }
        let rect = trimmer.contentRect(gray: gray, width: 100, height: 80)
        #expect(rect.map { [$0.x, $0.y, $0.width, $0.height] } == [6, 11, 88, 58])
        #expect(trimmer.contentRect(gray: [UInt8](repeating: 77, count: 100 * 80), width: 100, height: 80) == nil)
        #expect(trimmer.contentRect(gray: [1, 2, 3], width: 100, height: 80) == nil)
        // No caption here: the content is returned as it is, and a content rectangle outside the image is not read.
        let uncaptioned = trimmer.uncaptionedRect(gray: gray, width: 100, height: 80, content: rect)
        #expect(uncaptioned.map { [$0.x, $0.y, $0.width, $0.height] } == [6, 11, 88, 58])
        let outside = trimmer.uncaptionedRect(gray: gray, width: 100, height: 80, content: (90, 70, 40, 40))
        #expect(outside.map { [$0.x, $0.y, $0.width, $0.height] } == [90, 70, 40, 40])
        #expect(trimmer.uncaptionedRect(gray: gray, width: 100, height: 80, content: nil) == nil)
    }

    @Test("bad bytes become typed decode errors, not crashes")
    func badInput() throws {
        #expect { try FeatureExtractor.features(of: Data()) } throws: { ($0 as? ImageDecodeError)?.kind == .emptyImage }
        let jpeg = try Data(contentsOf: Fixtures.url("photos/chelsea.jpg"))
        #expect { try FeatureExtractor.features(of: jpeg.prefix(20)) } throws: { $0 is ImageDecodeError }
        #expect { try FeatureExtractor.features(of: jpeg, options: FeatureOptions(maxPixels: 1000)) } throws: {
            ($0 as? ImageDecodeError)?.kind == .oversizedImage
        }
    }
}
