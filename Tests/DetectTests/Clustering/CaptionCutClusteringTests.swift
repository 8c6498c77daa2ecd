import CurateTestSupport
import Detect
import Foundation
import Testing

/// A copy with a caption set apart from the picture (a meme bar above a photo, a line of text in a polaroid's frame)
/// is found through its trimmed view, which leaves the caption out (`BorderTrimmer.uncaptionedRect`).
///
/// Fixtures, made from the project's photos with Pillow and DejaVu Sans Bold: `coffee-caption.jpg` is coffee.jpg
/// under a 60 px white bar holding "POV: you finally made it" (26 pt, JPEG quality 90); `fruits-caption.jpg` is
/// fruits.jpg under a 70 px bar holding "me after one (1) salad" (30 pt), the whole scaled to 75% (quality 85);
/// `chelsea-polaroid.jpg` is chelsea.jpg in an off-white frame (24 px at the sides and top, 90 px below) with
/// "Sunday afternoon with Chelsea" (22 pt) in the bottom band (quality 90).
@Suite struct CaptionCutClusteringTests {
    static let pairs = [
        ("photos/coffee.jpg", "neardup/coffee-caption.jpg"),
        ("photos/fruits.jpg", "neardup/fruits-caption.jpg"),
        ("photos/chelsea.jpg", "neardup/chelsea-polaroid.jpg"),
    ]

    @Test("a captioned copy's trimmed view is its picture: within the pHash bound of the original, not without the cut")
    func trimmedViewLeavesTheCaptionOut() throws {
        let limit = try #require(DetectThresholds().phashMaxDistance)
        for (original, copy) in Self.pairs {
            let photo = try Fixtures.features(original).hashes.phash
            let cut = try #require(try Fixtures.features(copy).trimmed, "\(copy)")
            #expect(hammingDistance(cut.phash, photo) <= limit, "\(copy)")
            let uncut = try #require(try Fixtures.features(copy) { $0.cutsCaptions = false }.trimmed, "\(copy)")
            #expect(hammingDistance(uncut.phash, photo) > limit, "\(copy)")
        }
    }

    @Test("captioned copies cluster with their photos and nothing else")
    func captionedCopiesCluster() throws {
        let images = try Self.pairs.flatMap { [try Fixtures.features($0.0), try Fixtures.features($0.1)] }
        let others = try ["photos/rocket.jpg", "photos/astronaut.jpg", "photos/home.jpg"].map { try Fixtures.features($0) }
        let clustering = try NearDuplicateClusterer().cluster(features: images + others)
        #expect(clustering.clusters.map(\.members) == [[0, 1], [2, 3], [4, 5]])
    }

    @Test("no fixture photo loses lines to the cut: a photo's own edges (a table, a bumper, dusk) are no caption")
    func photosKeepTheirContent() throws {
        for url in Fixtures.photos {
            let data = try Data(contentsOf: url)
            var uncut = FeatureOptions()
            uncut.cutsCaptions = false
            let trimmed = try FeatureExtractor.features(of: data).trimmed
            #expect(trimmed == (try FeatureExtractor.features(of: data, options: uncut).trimmed), "\(url.lastPathComponent)")
        }
    }
}
