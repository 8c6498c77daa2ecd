import CurateTestSupport
@testable import Detect
import Foundation
import Testing

/// The picture inside a window (`BorderTrimmer.framedRect`): below a title bar, on a plain canvas.
///
/// Fixtures, made from coffee.jpg with Pillow and DejaVu Sans: `coffee-window.jpg` is the photo scaled to 90%
/// (461 x 307) at (100, 70) on a 640 x 420 grey canvas under a 28 px dark title bar with its name and three
/// buttons (JPEG quality 90); `coffee-article.jpg` is a 900 x 520 white page with a headline, the photo at 420 px
/// wide at (30, 90) and thirteen lines of text beside it (quality 90).
@Suite struct WindowRectTests {
    static func framed(_ url: URL) throws -> (x: Int, y: Int, width: Int, height: Int)? {
        let plane = GrayPlane(try ImageDecoder.decode(try Data(contentsOf: url)).pixels)
        return BorderTrimmer().framedRect(gray: plane.gray, width: plane.width, height: plane.height)
    }

    @Test("a photo on a window's canvas under a title bar comes out as its own rectangle")
    func windowGivesThePhoto() throws {
        let rect = try #require(try Self.framed(Fixtures.url("neardup/coffee-window.jpg")))
        // One line of JPEG ringing goes with each trimmed side.
        for (found, placed) in [(rect.x, 100), (rect.y, 70), (rect.x + rect.width, 561), (rect.y + rect.height, 377)] {
            #expect(abs(found - placed) <= 2, "\(rect)")
        }
    }

    @Test("text beside the photo, and photos without a bar, give no window")
    func noWindow() throws {
        #expect(try Self.framed(Fixtures.url("neardup/coffee-article.jpg")) == nil)
        for url in Fixtures.photos {
            #expect(try Self.framed(url) == nil, "\(url.lastPathComponent)")
        }
    }

    @Test("the window's inset view is the photo: the screenshot clusters with it, apart from other photos")
    func windowClustersWithPhoto() throws {
        let limit = try #require(DetectThresholds().phashMaxDistance)
        let window = try Fixtures.features("neardup/coffee-window.jpg")
        let photo = try Fixtures.features("photos/coffee.jpg")
        #expect(hammingDistance(try #require(window.insetPHash), photo.hashes.phash) <= limit)
        let paged = try Fixtures.features("neardup/coffee-window.jpg") { $0.framedInset = false }
        #expect(paged.insetPHash != window.insetPHash)
        let others = try ["photos/chelsea.jpg", "photos/rocket.jpg"].map { try Fixtures.features($0) }
        let clustering = try NearDuplicateClusterer().cluster(features: [photo, window] + others)
        #expect(clustering.clusters.map(\.members) == [[0, 1]])
    }
}
