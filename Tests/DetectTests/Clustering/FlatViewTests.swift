import CurateTestSupport
import Detect
import Foundation
import Testing

/// Flat views (smooth gradients, blurred backgrounds) have pHashes that only tell the direction of the gradient, so
/// unrelated flat images match each other: the crop and turned views are kept only when textured, and main views
/// below PDQ quality 20 are no pHash evidence.
@Suite struct FlatViewTests {
    static let flatTiles = ["honeywave-tile-13", "storm-tile-01", "yellowflower-tile-23", "orange-tile-13"]

    static func features(_ path: String) throws -> ImageFeatures {
        try FeatureExtractor.features(of: Data(contentsOf: Fixtures.url(path)))
    }

    @Test("tiles of four unrelated photos do not cluster, although two of them are 2 pHash bits apart")
    func unrelatedFlatTiles() throws {
        let tiles = try Self.flatTiles.map { try Self.features("hashes/flat/\($0).jpg") }
        // The case the guard exists for: without it these two dark smooth tiles of different photos would link.
        #expect(hammingDistance(tiles[0].hashes.phash, tiles[1].hashes.phash) <= 6)
        #expect(tiles[0].hashes.pdqQuality < 20 && tiles[1].hashes.pdqQuality < 20)
        #expect(tiles[0].cropPHashes.count < 27 && tiles[1].cropPHashes.count < 27)
        let clustering = try NearDuplicateClusterer().cluster(features: tiles)
        #expect(clustering.clusters.isEmpty)
    }

    @Test("real photos keep their crop views, and their re-encoded and cropped copies still cluster")
    func texturedPhotos() throws {
        var kept = 0
        for url in Fixtures.photos {
            kept += try FeatureExtractor.features(of: Data(contentsOf: url)).cropPHashes.count
        }
        // Each photo has 27 crop views; only a few of the flattest (a dark sky) may drop.
        #expect(kept >= Fixtures.photos.count * 27 * 95 / 100)
        let pairs = [("photos/coffee.jpg", "hashes/copies/coffee-mirror.jpg"),
                     ("photos/chelsea.jpg", "hashes/copies/chelsea-letterbox.jpg"),
                     ("photos/fruits.jpg", "hashes/copies/fruits-crop90.jpg")]
        for (original, copy) in pairs {
            let clustering = try NearDuplicateClusterer().cluster(features: [Self.features(original), Self.features(copy)])
            #expect(clustering.clusters.map(\.members) == [[0, 1]], "\(copy)")
        }
    }
}
