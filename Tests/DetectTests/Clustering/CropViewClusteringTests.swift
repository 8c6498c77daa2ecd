import CurateTestSupport
import Detect
import Foundation
import Testing

/// Off-centre crops and rotations of real photos cluster with their originals through the crop and rotated views
/// and the default thresholds, while unrelated photos stay apart. Copies in Tests/Fixtures/neardup/ were made with
/// Pillow from Tests/Fixtures/photos/: an 85% crop at the top-right corner, a 4-degree and an 8-degree rotation
/// (`image.rotate(8, resample=Image.BILINEAR, expand=False)`, JPEG quality 90).
@Suite struct CropViewClusteringTests {
    static let paths = [
        "photos/chelsea.jpg", "neardup/chelsea-crop85-topright.jpg", "neardup/chelsea-rotate4.jpg",
        "neardup/chelsea-rotate8.jpg",
        "photos/coffee.jpg", "neardup/coffee-crop85-topright.jpg", "neardup/coffee-rotate4.jpg",
        "neardup/coffee-rotate8.jpg",
        "photos/astronaut.jpg", "photos/fruits.jpg", "photos/baboon.jpg", "photos/rocket.jpg",
    ]

    @Test("a 3:2 photo has 29 crop pHashes: a 3x3 grid at 90%, 85% and 80%, its centre square and centre 3:4 crop")
    func cropViewCount() throws {
        let f = try Fixtures.features("photos/chelsea.jpg")
        #expect(f.cropPHashes.count == 29)
        var noAspects = FeatureOptions()
        noAspects.centreCropAspects = []
        #expect(try Fixtures.features("photos/chelsea.jpg", options: noAspects).cropPHashes == Array(f.cropPHashes.prefix(27)))
        // Its 4:3 crop would keep 89% of its width: the crop grid stands for it.
        noAspects.centreCropAspects = [4.0 / 3]
        #expect(try Fixtures.features("photos/chelsea.jpg", options: noAspects).cropPHashes.count == 27)
        // 512x480 is within 15% of square: no square view, but its 4:3 and 3:4 crops.
        let fruits = try Fixtures.features("photos/fruits.jpg")
        #expect(fruits.cropPHashes.count == 29)
        // The centre of the 90% grid is the centred view.
        #expect(f.cropPHashes[4] == f.centered?.phash)
        noAspects.cropShares = []
        #expect(try Fixtures.features("photos/chelsea.jpg", options: noAspects).cropPHashes.isEmpty)
    }

    @Test("an off-centre 85% crop is within the pHash default of some crop view, not of the full views")
    func offCentreCropMatchesACropView() throws {
        let original = try Fixtures.features("photos/chelsea.jpg")
        let copy = try Fixtures.features("neardup/chelsea-crop85-topright.jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        let nearestCrop = original.cropPHashes.map { ($0 ^ copy.hashes.phash).nonzeroBitCount }.min() ?? 64
        #expect(nearestCrop <= limit)
        // The top-right 85% crop view (index 9 + 2) is the nearest one.
        #expect((original.cropPHashes[11] ^ copy.hashes.phash).nonzeroBitCount == nearestCrop)
        #expect((original.hashes.phash ^ copy.hashes.phash).nonzeroBitCount > limit)
    }

    @Test("an off-centre 80% crop is within the pHash default of an 80% crop view only", arguments: ["chelsea", "coffee"])
    func eightyPercentCropMatchesItsGrid(photo: String) throws {
        let original = try Fixtures.features("photos/\(photo).jpg")
        let copy = try Fixtures.features("neardup/\(photo)-crop80-bottomleft.jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        let distances = original.cropPHashes.map { ($0 ^ copy.hashes.phash).nonzeroBitCount }
        // The bottom-left crop of the 80% grid (index 18 + 6) is within the limit; no 90% or 85% view is.
        #expect(distances[24] <= limit)
        #expect(distances[..<18].allSatisfy { $0 > limit })
    }

    /// The centre square of a wide photo resized to 256 px, as a training pipeline crops (Pillow, bicubic, JPEG
    /// quality 90): 67% of chelsea's width, 67% of coffee's.
    @Test("a centre-square crop of a wide photo matches its square view and clusters with it", arguments: ["chelsea", "coffee"])
    func centreSquareCropMatchesTheSquareView(photo: String) throws {
        let original = try Fixtures.features("photos/\(photo).jpg")
        let copy = try Fixtures.features("neardup/\(photo)-square256.jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        #expect(original.trimmedSize == nil)  // no border: the square view is the image's own centre square
        let square = original.cropPHashes[27]  // after the 27 grid views, the first centre crop: the square
        #expect((square ^ copy.hashes.phash).nonzeroBitCount <= limit)
        #expect((original.hashes.phash ^ copy.hashes.phash).nonzeroBitCount > limit)
        var noSquare = FeatureOptions()
        noSquare.centreCropAspects = []
        let others = [original, copy, try Fixtures.features("photos/astronaut.jpg"), try Fixtures.features("photos/baboon.jpg")]
        #expect(try NearDuplicateClusterer().cluster(features: others).clusters.map(\.members) == [[0, 1]])
        let without = [try Fixtures.features("photos/\(photo).jpg", options: noSquare), try Fixtures.features("neardup/\(photo)-square256.jpg", options: noSquare)]
        #expect(try NearDuplicateClusterer().cluster(features: without).clusters.isEmpty)
    }

    /// A square photo's centre 4:3 (astronaut) and 3:4 (baboon) crops resized to a short side of 288 px, as an
    /// aspect-bucketing pipeline crops (Pillow, bicubic, JPEG quality 90): 75% of the height or of the width.
    @Test("a centre 4:3 or 3:4 crop of a square photo matches that centre-crop view", arguments: [
        ("astronaut", "centre4x3", 28), ("baboon", "centre3x4", 29),
    ])
    func aspectCropMatchesItsView(photo: String, copyName: String, view: Int) throws {
        let original = try Fixtures.features("photos/\(photo).jpg")
        let copy = try Fixtures.features("neardup/\(photo)-\(copyName).jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        #expect(original.cropPHashes.count == 29)  // square: no square view; its 4:3 crop, then its 3:4 crop
        let distances = original.cropPHashes.map { ($0 ^ copy.hashes.phash).nonzeroBitCount }
        #expect(distances[view - 1] <= limit)
        #expect(distances[..<27].allSatisfy { $0 > limit })
        #expect((original.hashes.phash ^ copy.hashes.phash).nonzeroBitCount > limit)
        let others = [original, copy, try Fixtures.features("photos/chelsea.jpg"), try Fixtures.features("photos/rocket.jpg")]
        #expect(try NearDuplicateClusterer().cluster(features: others).clusters.map(\.members) == [[0, 1]])
    }

    @Test("crops and rotations join their original's cluster with the defaults; unrelated photos stay apart")
    func clustersWithDefaults() throws {
        let features = try Self.paths.map { try Fixtures.features($0) }
        let clustering = try NearDuplicateClusterer().cluster(features: features)
        #expect(clustering.clusters.map(\.members) == [[0, 1, 2, 3], [4, 5, 6, 7]])
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

    /// The pHash views every feature set compares pairwise, rotated views left out or not.
    static func phashViews(_ f: ImageFeatures, rotated: Bool) -> [UInt64] {
        [f.hashes.phash, f.mirrored.phash, f.centered?.phash ?? 0] + f.cropPHashes + (rotated ? f.rotatedPHashes : [])
    }

    static func nearest(_ a: [UInt64], _ b: [UInt64]) -> Int {
        a.flatMap { x in b.map { ($0 ^ x).nonzeroBitCount } }.min() ?? 64
    }

    @Test("every feature set has a rotated view at +4 and -4 degrees; none when no angles are asked for")
    func rotatedViewCount() throws {
        #expect(try Fixtures.features("photos/chelsea.jpg").rotatedPHashes.count == 2)
        #expect(try Fixtures.features("photos/chelsea.jpg", options: FeatureOptions(rotationDegrees: [])).rotatedPHashes.isEmpty)
    }

    @Test("a view turned by 0 degrees is the centred 90% view, within a bit or two (the same geometry)")
    func unturnedViewIsTheCentreCrop() throws {
        for photo in ["chelsea", "coffee", "astronaut"] {
            let f = try Fixtures.features("photos/\(photo).jpg", options: FeatureOptions(rotationDegrees: [0]))
            let centre = try #require(f.centered)
            #expect(FeatureOptions().rotationShare == FeatureOptions().centerShare)
            #expect((f.rotatedPHashes[0] ^ centre.phash).nonzeroBitCount <= 2, "\(photo)")
        }
    }

    @Test("an 8-degree rotation is beyond the pHash default of every unturned view, within it of a rotated one", arguments: ["chelsea", "coffee"])
    func eightDegreesMatchesARotatedView(photo: String) throws {
        // Grid and turned views only: the centre squares of these wide photos are another view (for coffee they
        // happen to meet at the limit).
        var options = FeatureOptions()
        options.centreCropAspects = []
        let original = try Fixtures.features("photos/\(photo).jpg", options: options)
        let copy = try Fixtures.features("neardup/\(photo)-rotate8.jpg", options: options)
        let limit = try #require(DetectThresholds().phashMaxDistance)
        #expect(Self.nearest(Self.phashViews(original, rotated: false), Self.phashViews(copy, rotated: false)) > limit)
        #expect(Self.nearest(Self.phashViews(original, rotated: true), Self.phashViews(copy, rotated: true)) <= limit)
        // The rotated views alone reach each other: the original turned one way and the copy turned back meet halfway.
        #expect(Self.nearest(original.rotatedPHashes, copy.rotatedPHashes) <= limit)
    }
    /// astronaut.jpg under a plain sky-blue band of a fifth of its height, and that image turned by 5 degrees with
    /// the canvas grown and the corners filled white (Pillow: `rotate(5, resample=Image.BICUBIC, expand=True,
    /// fillcolor=(255, 255, 255))`, JPEG quality 90), as a rotated copy of a photo with a plain sky is.
    @Test("a turned copy of a photo under a plain band meets the original's turned views, cut from the whole image")
    func turnedCopyOfABandedPhoto() throws {
        let original = try Fixtures.features("neardup/astronaut-sky.jpg")
        let copy = try Fixtures.features("neardup/astronaut-sky-rotate5.jpg")
        let limit = try #require(DetectThresholds().phashMaxDistance)
        // The band is trimmed as a border, leaving the whole width: the turned views come from the whole image.
        let trimmed = try #require(original.trimmedSize)
        #expect(trimmed.width == original.width && trimmed.height < original.height)
        #expect(Self.nearest(original.rotatedPHashes, Self.phashViews(copy, rotated: true)) <= limit)
        #expect(Self.nearest(Self.phashViews(original, rotated: false), Self.phashViews(copy, rotated: false)) > limit)
        let others = try ["photos/rocket.jpg", "photos/coffee.jpg", "photos/chelsea.jpg"].map { try Fixtures.features($0) }
        let clustering = try NearDuplicateClusterer().cluster(features: [original, copy] + others)
        #expect(clustering.clusters.map(\.members) == [[0, 1]])
    }
}
