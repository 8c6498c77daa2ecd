import CurateTestSupport
import Foundation
import Testing

@testable import Detect

@Suite struct ImagePathResolverTests {
    @Test(
        "lexical normalization removes '.', '..' and empty components",
        arguments: [
            ("/a/b/c.jpg", "/a/b/c.jpg"), ("/a//b/./c.jpg", "/a/b/c.jpg"), ("/a/b/../../../c.jpg", "/c.jpg"),
            ("/a/b/..", "/a"), ("/a/b/.", "/a/b"), ("/a/b/", "/a/b"), ("/", "/"), ("/a/.b/..c", "/a/.b/..c"),
        ])
    func normalizes(path: String, expected: String) {
        #expect(ImagePathResolver.lexicallyNormalized(path) == expected)
    }

    @Test(
        "URL schemes are recognised only at the start",
        arguments: [
            ("https://x/a.jpg", "https"), ("HTTP://x", "http"), ("s3://bucket/k", "s3"), ("file:///tmp/a", "file"),
            ("images/a.jpg", nil), ("a:b.jpg", nil), ("dir/http://x", nil), ("://x", nil),
        ])
    func schemes(text: String, expected: String?) {
        #expect(ImagePathResolver.urlScheme(of: text) == expected)
    }

    @Test("resolves inside the folder, refuses escapes, and reports what is missing")
    func resolves() throws {
        let resolver = ImagePathResolver(root: readerFixture("manifests"))
        #expect(try resolver.resolve("images/cat.jpg").get().lastPathComponent == "cat.jpg")
        #expect(try resolver.resolve("./images//cat.jpg").get().lastPathComponent == "cat.jpg")
        #expect(try resolver.resolve("images/../images/cat.jpg").get().lastPathComponent == "cat.jpg")
        let kinds: [(String, ProblemKind)] = [
            ("../outside/secret.jpg", .pathEscape), ("images/../../outside/secret.jpg", .pathEscape),
            ("images/escape_link.jpg", .pathEscape), (readerFixture("outside/secret.jpg"), .pathEscape),
            ("images/none.jpg", .missingImage), ("images", .missingImage), ("http://example.com/a.jpg", .remoteImage),
            ("", .missingField),
        ]
        for (reference, kind) in kinds {
            #expect(throws: Never.self) {
                guard case .failure(let failure) = resolver.resolve(reference) else {
                    Issue.record("\(reference) resolved")
                    return
                }
                #expect(failure.kind == kind, "\(reference)")
            }
        }
    }
}
