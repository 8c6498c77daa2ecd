@testable import Detect
import CurateTestSupport
import Foundation
import Testing

/// A photo shown inside a page (a social-media post, an image viewer) clusters with the photo through the `inset`
/// view: `BorderTrimmer.insetRect` peels the header, caption, toolbar and margins off. Fixtures in
/// Tests/Fixtures/neardup/ were made with Pillow from Tests/Fixtures/photos/: `chelsea-post.jpg` (the photo at 70% of
/// a 640 px white page, at (96, 60), 448x298, under a grey header with a name, above two lines of caption) and
/// `coffee-viewer.jpg` (the photo centred on light grey under a dark toolbar of buttons, a status line below).
@Suite struct PageInsetTests {
    static func plane(_ path: String) throws -> GrayPlane {
        let data = try Data(contentsOf: Fixtures.url(path))
        return GrayPlane(try ImageDecoder.decode(data, options: DecodeOptions(grayscale: true)))
    }

    @Test("the picture of a post is found within a few pixels of where it was pasted")
    func postGeometry() throws {
        let page = try Self.plane("neardup/chelsea-post.jpg")
        let rect = try #require(BorderTrimmer().insetRect(gray: page.gray, width: page.width, height: page.height))
        let edges = [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height]
        for (found, pasted) in zip(edges, [96, 60, 96 + 448, 60 + 298]) { #expect(abs(found - pasted) <= 4, "\(edges)") }
        // The strict trimmer stops at the header's and the caption's text: they are not uniform borders.
        let strict = try #require(BorderTrimmer().contentRect(gray: page.gray, width: page.width, height: page.height))
        #expect(strict.height > 298 + 60)
    }

    @Test("plain photos are seldom pages: under a quarter of the fixture photos get an inset view (6 of 32 measured)")
    func photosAreNotPages() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("photos").path).filter { $0.hasSuffix(".jpg") }.sorted()
        try #require(names.count >= 30)
        let insets = try names.filter { try Fixtures.features("photos/\($0)").insetPHash != nil }
        #expect(insets.count < names.count / 4, "\(insets)")
    }

    @Test("posts and viewer pages cluster with their photos with the defaults, and only through the inset view")
    func pagesCluster() throws {
        let paths = [
            "photos/chelsea.jpg", "neardup/chelsea-post.jpg", "photos/coffee.jpg", "neardup/coffee-viewer.jpg",
            "photos/astronaut.jpg", "photos/fruits.jpg", "photos/rocket.jpg",
        ]
        func features(_ options: FeatureOptions) throws -> [ImageFeatures?] {
            try paths.map { try Fixtures.features($0, options: options) }
        }
        let with = try features(FeatureOptions())
        #expect(with[1]?.insetPHash != nil && with[3]?.insetPHash != nil)
        #expect(try NearDuplicateClusterer().cluster(features: with).clusters.map(\.members) == [[0, 1], [2, 3]])
        let without = try features(FeatureOptions(insetView: false))
        #expect(try NearDuplicateClusterer().cluster(features: without).clusters.isEmpty)
    }
}
