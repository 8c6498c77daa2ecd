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
    /// True when the folder is an image folder's own (its files, or its metadata's paths): `--image-root` does not
    /// apply there, so an escape is fixed by moving the image in rather than by naming another root.
    public let isImageFolder: Bool
    /// Resolved folders, so a manifest naming a million files in a few folders costs one `lstat` per file
    /// rather than a full `realpath` walk.
    private let folders = FolderCache()

    /// Why a reference does not name a usable local file.
    public struct Failure: Error, Sendable, Hashable {
        public var kind: ProblemKind
        public var message: String
    }

    /// - Parameters:
    ///   - root: the manifest's folder, `--image-root`, or the image folder.
    ///   - isImageFolder: true for an image folder, whose escapes cannot be fixed with `--image-root`.
    public init(root: String, isImageFolder: Bool = false) {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        self.root = Self.realPath(absolute) ?? Self.lexicallyNormalized(absolute)
        self.isImageFolder = isImageFolder
    }

    /// Resolves `reference` (a relative or absolute path, a `file://` URL, or a remote URL).
    public func resolve(_ reference: String) -> Result<URL, Failure> {
        var path = reference
        if path.isEmpty {
            return .failure(Failure(kind: .missingField, message: "the image field is empty"))
        }
        if let scheme = Self.urlScheme(of: path) {
            guard scheme == "file" else {
                return .failure(
                    Failure(
                        kind: .remoteImage,
                        message: "\(reference) is a remote URL; images are read from local files only, never fetched"))
            }
            path =
                String(path.dropFirst("file://".count)).removingPercentEncoding
                ?? String(path.dropFirst("file://".count))
        }
        let joined = path.hasPrefix("/") ? path : root + "/" + path
        let normalized = Self.lexicallyNormalized(joined)
        guard contains(normalized) else {
            let advice: String
            if isImageFolder {
                advice = "Move the image into the folder"
            } else if path.hasPrefix("/") {
                advice =
                    "To read it, pass --image-root DIR naming a folder that holds it ('--image-root /' for any"
                    + " absolute path); relative image paths then resolve against DIR too"
            } else {
                // No root helps a path that climbs out of it: the paths themselves must change.
                advice =
                    "Relative paths may not leave the folder they resolve against: write them relative to a folder"
                    + " that holds the images and pass it as --image-root DIR, or write them absolute with"
                    + " --image-root / (this one is \(normalized))"
            }
            return .failure(
                Failure(
                    kind: .pathEscape,
                    message: "\(reference) lies outside the input folder \(root); it is not read. \(advice)"))
        }
        guard let (real, info) = resolvedPath(joined) else {
            return .failure(Failure(kind: .missingImage, message: "no file at \(joined)"))
        }
        guard contains(real) else {
            return .failure(
                Failure(
                    kind: .pathEscape,
                    message:
                        "\(reference) resolves through a symlink to \(real), outside the input folder \(root);"
                        + " it is not read. \(linkAdvice(reference: path, real: real))"))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Failure(kind: .missingImage, message: "\(joined) is not a regular file"))
        }
        return .success(URL(fileURLWithPath: real, isDirectory: false))
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.root == rhs.root && lhs.isImageFolder == rhs.isImageFolder
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(root) }

    /// How to read an image that a symlink takes out of the root. When the link's target ends with the path as
    /// written (`images -> /data/shared/images`), the target's folder is a root the path resolves in as it is.
    private func linkAdvice(reference path: String, real: String) -> String {
        if isImageFolder { return "Put the image itself, not a link to it, in the folder" }
        let written = Self.lexicallyNormalized("/" + path)
        if !path.hasPrefix("/"), real.hasSuffix(written), real.count > written.count {
            let base = String(real.dropLast(written.count))
            return "Pass --image-root \(base), where \(path) is found without the link (relative image paths then"
                + " resolve against it), or put the images themselves, not a link to them, in \(root)"
        }
        return "Put the images themselves, not a link to them, in \(root), or pass --image-root DIR naming the"
            + " folder the image paths should resolve against"
    }

    /// `realpath(path)` and the file's `stat`, through the folder cache when the last component is a plain
    /// name and not a symlink; nil when nothing is there.
    private func resolvedPath(_ path: String) -> (String, stat)? {
        var info = stat()
        func full(_ path: String) -> (String, stat)? {
            guard let real = Self.realPath(path), stat(real, &info) == 0 else { return nil }
            return (real, info)
        }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return full(path) }
        let leaf = path[path.utf8.index(after: slash)...]
        guard !leaf.isEmpty, leaf != ".", leaf != ".." else { return full(path) }
        let folder = slash == path.startIndex ? "/" : String(path[..<slash])
        guard let realFolder = folders.realPath(of: folder) else { return nil }
        let candidate = realFolder == "/" ? "/" + leaf : realFolder + "/" + leaf
        guard lstat(candidate, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFLNK { return full(candidate) }
        return (candidate, info)
    }

    /// A bounded, thread-safe map from folder path to its `realpath`.
    private final class FolderCache: @unchecked Sendable {
        // Safe: every access to `paths` holds `lock`.
        private let lock = NSLock()
        private var paths: [String: String] = [:]

        func realPath(of folder: String) -> String? {
            lock.lock()
            defer { lock.unlock() }
            if let known = paths[folder] { return known }
            guard let real = ImagePathResolver.realPath(folder) else { return nil }
            if paths.count >= 4096 { paths.removeAll(keepingCapacity: true) }
            paths[folder] = real
            return real
        }
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
            guard let first = utf8.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z")
            else { return nil }
            var index = 1
            while index < utf8.count, index < 64 {
                let byte = utf8[index]
                if byte == UInt8(ascii: ":") {
                    guard index + 2 < utf8.count, utf8[index + 1] == UInt8(ascii: "/"),
                        utf8[index + 2] == UInt8(ascii: "/")
                    else { return nil }
                    return String(decoding: utf8[..<index], as: UTF8.self).lowercased()
                }
                let lower = byte | 0x20
                let allowed =
                    (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                guard allowed else { return nil }
                index += 1
            }
            return nil
        }
    }

    /// True when `path` is absolute and has no empty, `.` or `..` component (the common case, checked on bytes).
    static func isNormalized(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { utf8 in
            guard utf8.first == UInt8(ascii: "/") else { return false }
            var index = 0
            while index < utf8.count {
                // At a slash: look at the component that follows.
                var end = index + 1
                while end < utf8.count, utf8[end] != UInt8(ascii: "/") { end += 1 }
                let length = end - index - 1
                if length == 0, end < utf8.count || index > 0 { return false }
                if length == 1, utf8[index + 1] == UInt8(ascii: ".") { return false }
                if length == 2, utf8[index + 1] == UInt8(ascii: "."), utf8[index + 2] == UInt8(ascii: ".") {
                    return false
                }
                index = end
            }
            return true
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
        if isNormalized(path) { return path }
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
