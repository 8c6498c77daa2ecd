import CurateTestSupport
import Foundation
import Testing

@Suite struct FixturesTests {
    @Test("the bundled real photographs are present")
    func photosPresent() throws {
        #expect(Fixtures.photos.count >= 30)
        let first = try Data(contentsOf: try #require(Fixtures.photos.first))
        #expect(first.prefix(2) == Data([0xFF, 0xD8]))
    }
}
