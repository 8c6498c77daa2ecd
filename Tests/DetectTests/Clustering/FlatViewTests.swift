import CurateTestSupport
import Detect
import Foundation
import Testing

/// Flat views (smooth gradients, blurred backgrounds) have pHashes that only tell the direction of the gradient, so
/// unrelated flat images match each other: the crop and turned views are kept only when textured, and main views
/// below PDQ quality 20 are no pHash evidence on their own; they still link where their PDQ hashes agree too.
@Suite struct FlatViewTests {
    static let flatTiles = ["honeywave-tile-13", "storm-tile-01", "yellowflower-tile-23", "orange-tile-13"]

    @Test("tiles of four unrelated photos do not cluster, although two of them are 2 pHash bits apart")
    func unrelatedFlatTiles() throws {
        let tiles = try Self.flatTiles.map { try Fixtures.features("hashes/flat/\($0).jpg") }
        // The case the guard exists for: without it these two dark smooth tiles of different photos would link.
        #expect(hammingDistance(tiles[0].hashes.phash, tiles[1].hashes.phash) <= 6)
        #expect(tiles[0].hashes.pdqQuality < 20 && tiles[1].hashes.pdqQuality < 20)
        #expect(tiles[0].cropPHashes.count < 27 && tiles[1].cropPHashes.count < 27)
        let clustering = try NearDuplicateClusterer().cluster(features: tiles)
        #expect(clustering.clusters.isEmpty)
    }

    /// Dark, low-contrast photos: `photos/home.jpg` and `photos/building.jpg` with every channel mapped to
    /// `12 + 0.07 v` (JPEG quality 90), as dusk or fog leaves a photo; their copies re-encoded as WebP quality 60,
    /// home's at 75% size and building's through gamma 1.4.
    @Test("faint copies of dark photos link where pHash and PDQ agree; two different dark photos do not")
    func faintCopiesOfDarkPhotos() throws {
        let names = ["home-dusk.jpg", "home-dusk-small.webp", "building-dusk.jpg", "building-dusk-gamma.webp"]
        let images = try names.map { try Fixtures.features("neardup/\($0)") }
        // Both of home's images and building's copy are too faint for pHash evidence alone, none is blank.
        let qualities = images.map(\.hashes.pdqQuality)
        #expect(qualities[0] < 20 && qualities[1] < 20 && qualities[2] >= 20 && qualities[3] < 20)
        #expect(qualities.allSatisfy { $0 >= 1 })
        let limit = try #require(DetectThresholds().phashMaxDistance)
        #expect(hammingDistance(images[0].hashes.phash, images[1].hashes.phash) <= limit)
        #expect(hammingDistance(images[2].hashes.phash, images[3].hashes.phash) <= limit)
        let clustering = try NearDuplicateClusterer().cluster(features: images)
        #expect(clustering.clusters.map(\.members) == [[0, 1], [2, 3]])
        var strict = NearDuplicateClusterer()
        strict.minimumFaintQuality = strict.minimumPHashQuality
        #expect(try strict.cluster(features: images).clusters.isEmpty)
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
            let clustering = try NearDuplicateClusterer().cluster(features: [Fixtures.features(original), Fixtures.features(copy)])
            #expect(clustering.clusters.map(\.members) == [[0, 1]], "\(copy)")
        }
    }
}
