import CurateTestSupport
import Detect
import Foundation
import Testing

/// A bordered image and a mirrored copy of it with another border match only without their borders, one of them
/// mirrored: the trimmed view of one against the mirrored trimmed view of the other. Copies in
/// Tests/Fixtures/neardup/ were made with Pillow from Tests/Fixtures/photos/coffee.jpg: a white border of a sixth
/// of each side, and a left–right mirror letterboxed with black bars of a quarter of the height.
@Suite struct BorderedCopyClusteringTests {
    @Test("both bordered copies get a trimmed view and its mirror; the mirror of one matches the other's trimmed view")
    func mirroredTrimmedViewMatches() throws {
        let padded = try Fixtures.features("neardup/coffee-pad-white.jpg")
        let mirrored = try Fixtures.features("neardup/coffee-mirror-letterbox.jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        let paddedTrim = try #require(padded.trimmed)
        let mirroredTrimMirror = try #require(mirrored.trimmedMirrored)
        #expect((paddedTrim.phash ^ mirroredTrimMirror.phash).nonzeroBitCount <= limit)
        // No other pairing of their views comes that close: the borders differ and one content is mirrored.
        let others = [padded.hashes, padded.mirrored, paddedTrim].flatMap { a in
            [mirrored.hashes, mirrored.mirrored, try! #require(mirrored.trimmed)].map { (a.phash ^ $0.phash).nonzeroBitCount }
        }
        #expect(others.allSatisfy { $0 > limit })
        // An unbordered photo has neither trimmed view.
        let plain = try Fixtures.features("photos/coffee.jpg")
        #expect(plain.trimmed == nil && plain.trimmedMirrored == nil)
    }

    @Test("the two bordered copies cluster with the original; unrelated photos stay apart")
    func clustersWithDefaults() throws {
        let paths = [
            "photos/coffee.jpg", "neardup/coffee-pad-white.jpg", "neardup/coffee-mirror-letterbox.jpg",
            "photos/chelsea.jpg", "photos/astronaut.jpg", "photos/rocket.jpg",
        ]
        let features = try paths.map { try Fixtures.features($0) }
        let clustering = try NearDuplicateClusterer().cluster(features: features)
        #expect(clustering.clusters.map(\.members) == [[0, 1, 2]])

        // Without the original in between, the two copies still link directly, with pHash evidence.
        let pair = try NearDuplicateClusterer().cluster(features: [features[1], features[2]])
        #expect(pair.clusters.map(\.members) == [[0, 1]])
        #expect(pair.clusters.first?.evidence.contains(.phash) == true)
    }
}
