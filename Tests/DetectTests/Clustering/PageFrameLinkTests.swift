import Detect
import Testing

/// Two pages (images whose picture inside covers at most half of them) link by pHash only through their pictures
/// or by views within `pageFrameMaxDistance`: their other views show the layout, which pages of one layout share
/// whatever photo they show.
@Suite struct PageFrameLinkTests {
    static let flip = WeakLinkClusteringTests.flip

    /// A page whose as-is pHash is `frame` and whose picture is `picture`, covering `share` of it.
    static func page(_ id: UInt64, frame: UInt64, picture: UInt64, share: Double?, random: inout TestRandom) -> ImageFeatures {
        var f = features(id: id, phash: frame, pdq: [random.next(), random.next(), random.next(), random.next()])
        f.insetPHash = picture
        f.insetShare = share
        return f
    }

    static func clusters(_ samples: [ImageFeatures?], rule: Bool = true) throws -> [[Int]] {
        var clusterer = NearDuplicateClusterer(thresholds: WeakLinkClusteringTests.pHashOnly)
        if !rule { clusterer.pageMaximumPictureShare = nil }
        return try clusterer.cluster(features: samples).clusters.map(\.members)
    }

    @Test("two pages of one layout with different pictures stay apart; without the rule their frames join them")
    func layoutAloneDoesNotLink() throws {
        var random = TestRandom(41)
        let frame = random.next()
        let samples: [ImageFeatures?] = [
            Self.page(0, frame: frame, picture: random.next(), share: 0.45, random: &random),
            Self.page(1, frame: Self.flip(frame, 0..<5), picture: random.next(), share: 0.48, random: &random),
        ]
        #expect(try Self.clusters(samples) == [])
        #expect(try Self.clusters(samples, rule: false) == [[0, 1]])
    }

    @Test("pages link through their pictures, through frames within the frame limit, and when either is no page")
    func picturesAndCloseFramesLink() throws {
        var random = TestRandom(43)
        let frame = random.next(), picture = random.next()
        // Same picture, frames 5 bits apart: the pictures meet.
        #expect(try Self.clusters([
            Self.page(0, frame: frame, picture: picture, share: 0.45, random: &random),
            Self.page(1, frame: Self.flip(frame, 0..<5), picture: Self.flip(picture, 10..<12), share: 0.45, random: &random),
        ]) == [[0, 1]])
        // Different pictures, frames 3 bits apart: a copy of the page itself (resized, re-encoded).
        #expect(try Self.clusters([
            Self.page(0, frame: frame, picture: random.next(), share: 0.45, random: &random),
            Self.page(1, frame: Self.flip(frame, 0..<3), picture: random.next(), share: 0.45, random: &random),
        ]) == [[0, 1]])
        // The picture covers more than half of one of them: that one is a photo with a margin, not a page.
        #expect(try Self.clusters([
            Self.page(0, frame: frame, picture: random.next(), share: 0.45, random: &random),
            Self.page(1, frame: Self.flip(frame, 0..<5), picture: random.next(), share: 0.8, random: &random),
        ]) == [[0, 1]])
        // A page and the photo it shows: the picture meets the photo's own view.
        let photo = features(id: 9, phash: Self.flip(picture, 30..<32), pdq: [1, 2, 3, 4])
        #expect(try Self.clusters([
            Self.page(0, frame: frame, picture: picture, share: 0.45, random: &random), photo,
        ]) == [[0, 1]])
    }
}
