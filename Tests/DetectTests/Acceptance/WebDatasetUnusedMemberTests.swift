import CurateTestSupport
import Detect
import Foundation
import Testing

/// A shard key whose members hold no image is named, whatever its members' extensions: `a.b.c.jpg` (key `a`,
/// member `b.c.jpg`) and a lone `s9.cls` used to vanish without a word, breaking "no sample vanishes silently".
@Suite struct WebDatasetUnusedMemberTests {
    @Test("a key without an image member is an orphan_member problem naming its members")
    func keysWithoutImageAreReported() throws {
        let path = Fixtures.url("acceptance/dotted.tar").path
        let outcome = try readAll(try WebDatasetReader(path: path))
        #expect(outcome.samples.map(\.key) == ["ok"])
        #expect(outcome.sample("ok")?.caption == "an astronaut")
        let orphans = outcome.problems(.orphanMember)
        #expect(orphans.map(\.key) == ["a", "s9"])
        #expect(orphans.map(\.origin) == [SampleOrigin(file: path, member: "a.b.c.jpg"), SampleOrigin(file: path, member: "s9.cls")])
        #expect(orphans.first?.description.contains("a.b.c.txt") == true)
        #expect(outcome.problems.count == 2)
    }

    @Test("a second caption member for the same key is reported and ignored, like a second image")
    func secondCaptionIsReported() throws {
        let path = Fixtures.url("acceptance/twice.tar").path
        let outcome = try readAll(try WebDatasetReader(path: path))
        #expect(outcome.samples.map(\.caption) == ["first caption"])
        let problem = try #require(outcome.problems.first)
        #expect(outcome.problems.count == 1)
        #expect(problem.kind == .orphanMember)
        #expect(problem.key == "d1")
        #expect(problem.origin == SampleOrigin(file: path, member: "d1.txt"))
    }
}
