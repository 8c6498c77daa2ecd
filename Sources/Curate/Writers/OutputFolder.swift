import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `--out DIR` folder, built in a hidden staging folder next to it and moved into place at the end,
/// so a failed run never leaves a half-written DIR.
public final class OutputFolder {
    /// Every file name a run may write; with `force`, stale ones a run did not rewrite are removed.
    public static let knownOutputNames: Set<String> = [
        "manifest.jsonl", "manifest.csv", "manifest.tsv", "removed.jsonl", "changes.jsonl", "clusters.jsonl",
        "triggers.json", "stats.json", "report.html", "run.json",
    ]

    /// The folder the user asked for.
    public let destination: URL
    /// The hidden folder files are written into until `commit()`.
    public let staging: URL
    private let force: Bool
    private var written: [String] = []
    private var finished = false

    /// Checks the destination and creates the staging folder.
    /// - Parameter force: allow a destination that exists and is not empty (its output files are replaced).
    /// - Throws: `OutputError` when the destination is a non-empty folder and `force` is false, or is not a folder.
    public init(_ destination: URL, force: Bool = false) throws(OutputError) {
        self.destination = destination.standardizedFileURL
        self.force = force
        let parent = self.destination.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(self.destination.lastPathComponent).partial-\(getpid())")
        try Self.checkDestination(self.destination, force: force)
        Self.removeAbandonedStaging(beside: self.destination)
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: staging.path) { try FileManager.default.removeItem(at: staging) }
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw OutputError(
                path: staging.path, operation: "create the staging folder", message: "\(error.localizedDescription)")
        }
    }

    deinit {
        if !finished { discard() }
    }

    private static func checkDestination(_ url: URL, force: Bool) throws(OutputError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw OutputError(
                path: url.path, operation: "write the output folder",
                message: "a file with this name exists; choose another --out")
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if !contents.isEmpty && !force {
            throw OutputError(
                path: url.path, operation: "write the output folder",
                message:
                    "the folder exists and is not empty; choose a new --out folder or pass --force to replace its outputs"
            )
        }
    }

    /// Removes staging folders of earlier runs for the same destination whose process is gone (killed or crashed
    /// before `commit()` or `discard()`), so they do not pile up beside the output.
    private static func removeAbandonedStaging(beside destination: URL) {
        let parent = destination.deletingLastPathComponent()
        let prefix = ".\(destination.lastPathComponent).partial-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
            // kill(pid, 0) probes without signalling: ESRCH means no such process.
            if kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
    }

    /// Starts a file in the staging folder; call `commit()` on it when it is complete.
    public func file(_ name: String) throws(OutputError) -> AtomicFile {
        let file = try AtomicFile(staging.appendingPathComponent(name))
        if !written.contains(name) { written.append(name) }
        return file
    }

    /// Writes a whole file into the staging folder.
    public func write(_ name: String, _ data: Data) throws(OutputError) {
        let file = try file(name)
        try file.write(data)
        try file.commit()
    }

    /// Writes a whole text file into the staging folder.
    public func write(_ name: String, _ text: String) throws(OutputError) {
        try write(name, Data(text.utf8))
    }

    /// Writes a JSON Lines file (each line ends in a newline), streaming.
    public func writeLines(_ name: String, _ lines: [String]) throws(OutputError) {
        let file = try file(name)
        for line in lines { try file.write(line + "\n") }
        try file.commit()
    }

    /// Moves the finished files into the destination: the whole staging folder is renamed when the destination
    /// does not exist (or is empty), otherwise (with `force`) each file is renamed over its old version.
    public func commit() throws(OutputError) {
        guard !finished else { return }
        try Self.checkDestination(destination, force: force)
        let manager = FileManager.default
        let isEmpty = (try? manager.contentsOfDirectory(atPath: destination.path))?.isEmpty
        if isEmpty == true { rmdir(destination.path) }
        if !manager.fileExists(atPath: destination.path) {
            guard rename(staging.path, destination.path) == 0 else {
                throw AtomicFile.failure(destination.path, "move the output folder into place")
            }
        } else {
            // Every finished file in the staging folder, not only those made through `file(_:)`: the report is
            // written into the staging folder directly, and must not be lost when replacing an older output.
            let staged = (try? manager.contentsOfDirectory(atPath: staging.path))?.filter { !$0.hasPrefix(".") }
            written = Array(Set(written).union(staged ?? [])).sorted()
            for name in written {
                let target = destination.appendingPathComponent(name).path
                guard rename(staging.appendingPathComponent(name).path, target) == 0 else {
                    throw AtomicFile.failure(target, "move the output file into place")
                }
            }
            for name in Self.knownOutputNames.subtracting(written) {
                unlink(destination.appendingPathComponent(name).path)
            }
            try? manager.removeItem(at: staging)
        }
        Self.syncFolder(destination.path)
        Self.syncFolder(destination.deletingLastPathComponent().path)
        finished = true
    }

    /// Removes the staging folder and everything in it; the destination is untouched.
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
        finished = true
    }

    /// Makes the renames durable.
    private static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
