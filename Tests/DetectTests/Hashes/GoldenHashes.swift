import CurateTestSupport
import Detect
import Foundation

/// Tests/Fixtures/hashes/golden.json, written by scripts/golden-hashes.py from imagehash and pdqhash.
struct GoldenHashes: Decodable {
    struct Photo: Decodable {
        var size: [Int]
        var phash: String
        var dhash: String
        var pdq: String
        var quality: Int
        var luma32: String
        var luma9x8: String
    }
    var photos: [String: Photo]

    static func load() throws -> GoldenHashes {
        try JSONDecoder().decode(GoldenHashes.self, from: Data(contentsOf: Fixtures.url("hashes/golden.json")))
    }

    /// Bytes from a lowercase hex string.
    static func bytes(_ hex: String) -> [UInt8] {
        let chars = Array(hex.utf8)
        return stride(from: 0, to: chars.count, by: 2).map { UInt8(String(decoding: chars[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}

/// Our own hashes of the fixture photos (Tests/Fixtures/hashes/ours.json): any change breaks users' indexes.
struct OwnHashes: Codable, Equatable {
    struct View: Codable, Equatable {
        var phash: String
        var dhash: String
        var pdq: String
        var quality: Int

        init(_ h: PerceptualHashes) {
            phash = h.phashHex
            dhash = h.dhashHex
            pdq = h.pdqHex
            quality = h.pdqQuality
        }
    }
    struct Photo: Codable, Equatable {
        var contentHash: String
        var width: Int
        var height: Int
        var hashes: View
        var mirrored: View
        var trimmed: View?
        var centered: View?
    }
    var decodeMinimumSide: Int?
    var photos: [String: Photo]

    static let url = Fixtures.url("hashes/ours.json")
}
