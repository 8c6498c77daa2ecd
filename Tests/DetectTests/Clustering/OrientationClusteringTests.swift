import CurateTestSupport
@testable import Detect
import Foundation
import Testing

/// Copies turned by 90°, 180° or 270°, or mirrored top to bottom (a lost EXIF orientation, a scan fed in sideways)
/// are found through the orientation views (`ImageFeatures.orientedPHashes`), derived from the pHash's own DCT
/// coefficients.
///
/// Fixtures, made from the project's photos with Pillow: `coffee-turn90.jpg` is coffee.jpg turned 90° clockwise and
/// scaled to 75% (JPEG quality 85); `rocket-upside-down.webp` is rocket.jpg turned 180° (WebP quality 70);
/// `astronaut-turn270.jpg` is astronaut.jpg turned 90° counter-clockwise and scaled to 50% (quality 80);
/// `home-flip-vertical.jpg` is home.jpg mirrored top to bottom (quality 90).
@Suite struct OrientationClusteringTests {
    static let pairs = [
        ("photos/coffee.jpg", "neardup/coffee-turn90.jpg"),
        ("photos/rocket.jpg", "neardup/rocket-upside-down.webp"),
        ("photos/astronaut.jpg", "neardup/astronaut-turn270.jpg"),
        ("photos/home.jpg", "neardup/home-flip-vertical.jpg"),
    ]

    @Test("each orientation code is the pHash of the photo turned that way, and far from the other turns")
    func codesArePHashesOfTheTurnedImage() throws {
        // In the order of `DCTHash.orientations(_:)`.
        let turns: [EXIFOrientation] = [.flipVertical, .rotate180, .transpose, .rotate90, .transverse]
        let limit = try #require(DetectThresholds().phashMaxDistance)
        for name in ["coffee", "baboon", "building", "chelsea"] {
            let image = try ImageDecoder.decode(try Data(contentsOf: Fixtures.url("photos/\(name).jpg"))).pixels
            let codes = PerceptualHasher.views(of: GrayPlane(image), exact: true, orientations: true).orientations
            #expect(codes.count == turns.count)
            for (index, turn) in turns.enumerated() {
                let direct = PerceptualHasher.phash(of: image.oriented(turn))
                // Not bit for bit: the turned image is resized along its other axis first, rounding in between.
                #expect(hammingDistance(codes[index], direct) <= 2, "\(name) \(turn)")
                for (other, code) in codes.enumerated() where other != index && code != codes[index] {
                    #expect(hammingDistance(code, direct) > limit, "\(name) \(turn) against \(turns[other])")
                }
            }
        }
    }

    @Test("turned and upside-down copies cluster with their photos and nothing else; without the views they do not")
    func turnedCopiesCluster() throws {
        let others = ["photos/chelsea.jpg", "photos/fruits.jpg", "photos/camera.jpg"]
        for orientationViews in [true, false] {
            let images = try Self.pairs.flatMap { [$0.0, $0.1] }.map {
                try Fixtures.features($0) { $0.orientationViews = orientationViews }
            }
            let rest = try others.map { try Fixtures.features($0) { $0.orientationViews = orientationViews } }
            let clustering = try NearDuplicateClusterer().cluster(features: images + rest)
            #expect(clustering.clusters.map(\.members) == (orientationViews ? [[0, 1], [2, 3], [4, 5], [6, 7]] : []))
        }
    }

    @Test("a copy that lost its EXIF orientation tag (its stored pixels shown as they are) clusters with the photo")
    func lostOrientationTag() throws {
        let upright = try Fixtures.features("images/orientation-upright.jpg")
        for tag in 2...8 {
            let data = try Data(contentsOf: Fixtures.url("images/orientation-\(tag).jpg"))
            let stripped = try #require(Self.withoutEXIF(data), "orientation-\(tag).jpg")
            let tagged = try FeatureExtractor.features(of: data)
            let lost = try FeatureExtractor.features(of: stripped)
            // With the tag the decoder turns the pixels upright; without it they stay as stored.
            #expect(hammingDistance(tagged.hashes.phash, upright.hashes.phash) <= 2, "orientation-\(tag).jpg")
            #expect(hammingDistance(lost.hashes.phash, upright.hashes.phash) > 6, "orientation-\(tag).jpg")
            let clustering = try NearDuplicateClusterer().cluster(features: [upright, lost])
            #expect(clustering.clusters.map(\.members) == [[0, 1]], "orientation-\(tag).jpg")
        }
    }

    /// The JPEG without its EXIF (APP1) segment; nil when it has none.
    static func withoutEXIF(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if bytes[offset + 1] == 0xE1 {
                return Data(bytes[..<offset] + bytes[(offset + 2 + length)...])
            }
            offset += 2 + length
        }
        return nil
    }

    @Test("an orientation counts against the other image as decoded, not against its crop views")
    func orientationsMeetOnlyTheImageAsDecoded() throws {
        var photo = try Fixtures.features("photos/coffee.jpg")
        var copy = try Fixtures.features("photos/chelsea.jpg")
        // The copy's crop view equals the photo turned 90°: a meeting the search finds but that does not count.
        #expect(photo.orientedPHashes.count == 5)
        copy.cropPHashes = [photo.orientedPHashes[3]]
        copy.orientedPHashes = []
        photo.orientedPHashes = [photo.orientedPHashes[3]]
        #expect(try NearDuplicateClusterer().cluster(features: [photo, copy]).clusters.isEmpty)
        // The same code as the copy's pHash as decoded links the two.
        copy.hashes.phash = photo.orientedPHashes[0]
        #expect(try NearDuplicateClusterer().cluster(features: [photo, copy]).clusters.map(\.members) == [[0, 1]])
    }
}
