import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Turns an image reference from a manifest into a local file inside the manifest's folder, or says why not.
///
/// Relative paths resolve against the folder; absolute paths must lie inside it. Symlinks are resolved with
/// `realpath` and the result must still lie inside the folder, so nothing outside is ever read. URLs are
/// never fetched.
public struct ImagePathResolver: Sendable, Hashable {
    /// The folder, with symlinks resolved.
    public let root: String

    /// Why a reference does not name a usable local file.
    public struct Failure: Error, Sendable, Hashable {
        public var kind: ProblemKind
        public var message: String
    }

    /// - Parameter root: the manifest's folder (or the image folder).
    public init(root: String) {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        self.root = Self.realPath(absolute) ?? Self.lexicallyNormalized(absolute)
    }

    /// Resolves `reference` (a relative or absolute path, a `file://` URL, or a remote URL).
    public func resolve(_ reference: String) -> Result<URL, Failure> {
        var path = reference
        if path.isEmpty {
            return .failure(Failure(kind: .missingField, message: "the image field is empty"))
        }
        if let scheme = Self.urlScheme(of: path) {
            guard scheme == "file" else {
                return .failure(Failure(kind: .remoteImage, message: "\(reference) is a remote URL; images are read from local files only, never fetched"))
            }
            path = String(path.dropFirst("file://".count)).removingPercentEncoding ?? String(path.dropFirst("file://".count))
        }
        let joined = path.hasPrefix("/") ? path : root + "/" + path
        guard contains(Self.lexicallyNormalized(joined)) else {
            return .failure(Failure(kind: .pathEscape, message: "\(reference) lies outside the input folder \(root); it is not read"))
        }
        guard let real = Self.realPath(joined) else {
            return .failure(Failure(kind: .missingImage, message: "no file at \(joined)"))
        }
        guard contains(real) else {
            return .failure(Failure(kind: .pathEscape, message: "\(reference) resolves through a symlink to \(real), outside the input folder \(root); it is not read"))
        }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Failure(kind: .missingImage, message: "\(joined) is not a regular file"))
        }
        return .success(URL(fileURLWithPath: real))
    }

    /// True when `absolutePath` (normalized) is the root or lies under it.
    func contains(_ absolutePath: String) -> Bool {
        if root == "/" { return absolutePath.hasPrefix("/") }
        return absolutePath == root || absolutePath.hasPrefix(root + "/")
    }

    /// The lower-cased scheme when `text` starts like `scheme://`.
    static func urlScheme(of text: String) -> String? {
        var text = text
        return text.withUTF8 { utf8 -> String? in
            // A scheme is a letter then letters, digits, '+', '-' or '.'; scan only that prefix.
            guard let first = utf8.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z") else { return nil }
            var index = 1
            while index < utf8.count, index < 64 {
                let byte = utf8[index]
                if byte == UInt8(ascii: ":") {
                    guard index + 2 < utf8.count, utf8[index + 1] == UInt8(ascii: "/"), utf8[index + 2] == UInt8(ascii: "/") else { return nil }
                    return String(decoding: utf8[..<index], as: UTF8.self).lowercased()
                }
                let lower = byte | 0x20
                let allowed = (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                guard allowed else { return nil }
                index += 1
            }
            return nil
        }
    }

    /// `path` with symlinks resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` with `.`, `..` and repeated slashes removed, without touching the file system.
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
