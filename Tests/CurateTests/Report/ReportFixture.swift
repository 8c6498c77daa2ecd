import Curate
import CurateTestSupport
import Detect
import Foundation

/// The output-folder fixture in `Tests/Fixtures/report/` with its captions and real thumbnails.
enum ReportFixture {
    static let folder = Fixtures.url("report")

    /// Key → caption, as the lead passes it from the manifest.
    static func captions() throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(contentsOf: folder.appendingPathComponent("captions.json")))
    }

    /// Key → photo file name under `Tests/Fixtures/photos/`.
    static func images() throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(contentsOf: folder.appendingPathComponent("images.json")))
    }

    /// Thumbnail per photo file name, made once for all tests with `Thumbnailer` from the real photos.
    static let thumbnails: [String: Data] = {
        var result: [String: Data] = [:]
        for name in Set(((try? images()) ?? [:]).values) {
            if let bytes = try? Data(contentsOf: Fixtures.url("photos/\(name)")) {
                result[name] = try? Thumbnailer.jpeg(fromImageData: bytes)
            }
        }
        return result
    }()

    /// A thumbnail provider that shrinks the fixture photos with `Thumbnailer`, counting its calls.
    final class Provider: @unchecked Sendable {
        // Only called from the building thread; the counter is for assertions.
        var calls: [String: Int] = [:]
        let images: [String: String]

        init() throws { images = try ReportFixture.images() }

        func thumbnail(_ key: String) -> Data? {
            calls[key, default: 0] += 1
            guard let name = images[key] else { return nil }
            return ReportFixture.thumbnails[name]
        }
    }

    /// A temporary copy of the fixture's output files, for tests that change or add files; the caller removes it.
    static func copy() throws -> URL {
        let copy = try Fixtures.temporaryFolder()
        for name in ReportBuilder.fileNames {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        return copy
    }

    /// The fixture's report page.
    static func html() throws -> String {
        let data = try ReportBuilder.load(folder: folder)
        let provider = try Provider()
        return ReportBuilder.html(data: data, captions: try captions(), thumbnail: provider.thumbnail)
    }
}

extension String {
    /// Every match of `pattern`'s first capture group (or whole match).
    func matches(_ pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        let text = self as NSString
        return regex.matches(in: self, range: NSRange(location: 0, length: text.length)).map {
            text.substring(with: $0.numberOfRanges > 1 ? $0.range(at: 1) : $0.range)
        }
    }

    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
