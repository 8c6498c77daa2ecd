import CurateTestSupport
import Detect
import Foundation
import Testing

/// Off-centre crops and small rotations of real photos cluster with their originals through the crop views and
/// the default thresholds, while unrelated photos stay apart. Copies in Tests/Fixtures/neardup/ were made with
/// Pillow from Tests/Fixtures/photos/: an 85% crop at the top-right corner and a 4-degree rotation.
@Suite struct CropViewClusteringTests {
    static func features(_ path: String, options: FeatureOptions = FeatureOptions()) throws -> ImageFeatures {
        try FeatureExtractor.features(of: Data(contentsOf: Fixtures.url(path)), options: options)
    }

    static let paths = [
        "photos/chelsea.jpg", "neardup/chelsea-crop85-topright.jpg", "neardup/chelsea-rotate4.jpg",
        "photos/coffee.jpg", "neardup/coffee-crop85-topright.jpg", "neardup/coffee-rotate4.jpg",
        "photos/astronaut.jpg", "photos/fruits.jpg", "photos/baboon.jpg", "photos/rocket.jpg",
    ]

    @Test("every feature set has 27 crop pHashes: a 3x3 grid at 90%, 85% and 80%")
    func cropViewCount() throws {
        let f = try Self.features("photos/chelsea.jpg")
        #expect(f.cropPHashes.count == 27)
        // The centre of the 90% grid is the centred view.
        #expect(f.cropPHashes[4] == f.centered?.phash)
        #expect(try Self.features("photos/chelsea.jpg", options: FeatureOptions(cropShares: [])).cropPHashes.isEmpty)
    }

    @Test("an off-centre 85% crop is within the pHash default of some crop view, not of the full views")
    func offCentreCropMatchesACropView() throws {
        let original = try Self.features("photos/chelsea.jpg")
        let copy = try Self.features("neardup/chelsea-crop85-topright.jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        let nearestCrop = original.cropPHashes.map { ($0 ^ copy.hashes.phash).nonzeroBitCount }.min() ?? 64
        #expect(nearestCrop <= limit)
        // The top-right 85% crop view (index 9 + 2) is the nearest one.
        #expect((original.cropPHashes[11] ^ copy.hashes.phash).nonzeroBitCount == nearestCrop)
        #expect((original.hashes.phash ^ copy.hashes.phash).nonzeroBitCount > limit)
    }

    @Test("an off-centre 80% crop is within the pHash default of an 80% crop view only", arguments: ["chelsea", "coffee"])
    func eightyPercentCropMatchesItsGrid(photo: String) throws {
        let original = try Self.features("photos/\(photo).jpg")
        let copy = try Self.features("neardup/\(photo)-crop80-bottomleft.jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        let distances = original.cropPHashes.map { ($0 ^ copy.hashes.phash).nonzeroBitCount }
        // The bottom-left crop of the 80% grid (index 18 + 6) is within the limit; no 90% or 85% view is.
        #expect(distances[24] <= limit)
        #expect(distances[..<18].allSatisfy { $0 > limit })
    }

    @Test("crops and rotations join their original's cluster with the defaults; unrelated photos stay apart")
    func clustersWithDefaults() throws {
        let features = try Self.paths.map { try Self.features($0) }
        let clustering = try NearDuplicateClusterer().cluster(features: features)
        #expect(clustering.clusters.map(\.members) == [[0, 1, 2], [3, 4, 5]])
        #expect(clustering.clusters.allSatisfy { $0.evidence.contains(.phash) })

        // Without the crop views the off-centre crops are lost: the views are what links them.
        let plain = features.map { f -> ImageFeatures? in
            var f = f
            f.cropPHashes = []
            return f
        }
        let without = try NearDuplicateClusterer().cluster(features: plain)
        #expect(without.clusterOf[1] == nil || without.clusterOf[1] != without.clusterOf[0])
    }
}
