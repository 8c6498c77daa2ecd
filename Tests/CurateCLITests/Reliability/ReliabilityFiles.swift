import CurateTestSupport
import Detect
import Foundation

/// Datasets the reliability tests build in temporary folders.
enum ReliabilityFiles {
    /// A copy of `Tests/Fixtures/hostile/` in a fresh temporary folder, with the symlinks that point out of the
    /// input folders (`jsonl/images/link.jpg` and `folder/f-link.jpg`, both to `outside/secret.jpg`).
    static func hostileCopy() throws -> URL {
        let folder = try Fixtures.temporaryFolder().appendingPathComponent("hostile")
        try FileManager.default.copyItem(at: Fixtures.url("hostile"), to: folder)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("jsonl/images/link.jpg").path,
            withDestinationPath: "../../outside/secret.jpg")
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("folder/f-link.jpg").path, withDestinationPath: "../outside/secret.jpg")
        return folder
    }

    /// `count` distinct JPEG files made from the real photos: each is a photo with a unique comment segment
    /// (`FF FE`) after the start marker, so every file has its own content hash and is decoded, while the
    /// pixels stay those of the photo. Returns the manifest path.
    static func photoDataset(count: Int, in folder: URL) throws -> URL {
        let images = folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let photos = try Fixtures.photos.map { try Data(contentsOf: $0) }
        var lines: [String] = []
        for index in 0..<count {
            let photo = photos[index % photos.count]
            let comment = Data("copy \(index)".utf8)
            var bytes = Data(photo.prefix(2))
            bytes += [0xFF, 0xFE, UInt8((comment.count + 2) >> 8), UInt8((comment.count + 2) & 0xFF)]
            bytes += comment
            bytes += photo.dropFirst(2)
            let name = String(format: "img-%04d.jpg", index)
            try bytes.write(to: images.appendingPathComponent(name))
            lines.append(#"{"key": "k\#(index)", "image": "images/\#(name)", "caption": "photo \#(index % photos.count) copy"}"#)
        }
        let manifest = folder.appendingPathComponent("manifest.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
        return manifest
    }

    /// Writes a little-endian float32 `.npy` file of `rows` × `dimension`; `value(row, column)` gives each entry.
    static func writeNPY(rows: Int, dimension: Int, to url: URL, value: (Int, Int) -> Float) throws {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(dimension)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        data += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        data += Data(header.utf8)
        for row in 0..<rows {
            for column in 0..<dimension {
                withUnsafeBytes(of: value(row, column).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        try data.write(to: url)
    }

    /// The `key` of each JSON line of a file (empty when the file does not exist).
    static func keys(ofJSONLines url: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try Output.jsonLines(url).compactMap { $0["key"] as? String }
    }

    /// The key of each row of the cleaned manifest `apply` wrote into `out` (JSONL or CSV, whichever exists);
    /// "" for a row without a key (folder inputs pass `file_name` and `text` through).
    static func keptRows(in out: URL) throws -> [String] {
        let jsonl = out.appendingPathComponent("manifest.jsonl")
        if FileManager.default.fileExists(atPath: jsonl.path) {
            // An untouched row with invalid UTF-8 is written back with its bytes: read it as a lenient reader would.
            return try lossyLines(jsonl).map { line in
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["key"] as? String ?? ""
            }
        }
        let tar = out.appendingPathComponent("manifest.tar")
        if FileManager.default.fileExists(atPath: tar.path) {
            // A sample of the cleaned shard is a key with an image member.
            var members = try WebDatasetMembers(path: tar.path)
            var keys: [String] = []
            while let member = members.next() { if member.isImage { keys.append(member.key) } }
            return keys
        }
        let csv = out.appendingPathComponent("manifest.csv")
        guard FileManager.default.fileExists(atPath: csv.path) else { return [] }
        // The hostile CSV has no newlines inside quotes, so a row is a line; the key is the first cell.
        return try lossyLines(csv).dropFirst().map { String($0.prefix { $0 != "," }) }
    }

    /// The lines of a file, invalid UTF-8 decoded with U+FFFD.
    static func lossyLines(_ url: URL) throws -> [String] {
        String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Every regular file under `folder`, relative path → bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        for name in names {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }
}
