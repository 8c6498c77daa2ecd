import Foundation

/// Paths to the files under `Tests/Fixtures/`, found from this source file's location.
public enum Fixtures {
    /// `Tests/Fixtures/`.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A file or folder under `Tests/Fixtures/`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The real photographs in `Tests/Fixtures/photos/`, sorted by name.
    public static var photos: [URL] {
        let folder = url("photos")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".jpg") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// A fresh empty temporary folder inside ``runFolder``, so it goes when the test process ends.
    public static func temporaryFolder() throws -> URL {
        let url = runFolder.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The folder holding this test process's temporary folders, removed when the process exits: a test run makes
    /// a few thousand, which used to stay behind in the system's temporary folder.
    public static let runFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("curate-test-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: Fixtures.runFolder) }
        return url
    }()

    /// A fresh folder with two real photos (`p0.jpg`, `p1.jpg`) and a manifest `name` holding `text`; its URL.
    public static func manifestBesidePhotos(_ name: String, _ text: String) throws -> URL {
        let folder = try temporaryFolder()
        for (index, photo) in photos.prefix(2).enumerated() {
            try FileManager.default.copyItem(at: photo, to: folder.appendingPathComponent("p\(index).jpg"))
        }
        let manifest = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: manifest)
        return manifest
    }
}

/// Runs the built `curate` executable, as a user would.
public enum CurateBinary {
    /// The `curate` executable next to the running test bundle.
    public static var url: URL {
        let here = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = here.deletingLastPathComponent()
        while !folder.path.isEmpty, folder.path != "/" {
            let candidate = folder.appendingPathComponent("curate")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return here.deletingLastPathComponent().appendingPathComponent("curate")
    }

    /// The result of one run.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `curate` with `arguments`, waits, and returns its exit status and output.
    public static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}

extension Fixtures {
    /// The project folder (two levels above `Tests/Fixtures`).
    public static let projectRoot: URL = root.deletingLastPathComponent().deletingLastPathComponent()

    /// A copy of the bundled demo dataset (`examples/demo`) in a fresh temporary folder, so runs can write beside it.
    public static func demoCopy() throws -> URL {
        let folder = try temporaryFolder().appendingPathComponent("demo")
        try FileManager.default.copyItem(at: projectRoot.appendingPathComponent("examples/demo"), to: folder)
        // A demo run from the project folder leaves its index there; the copy starts without one.
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(".curate"))
        return folder
    }

    /// A ready policy from `policies/`.
    public static func policy(_ name: String) -> String {
        projectRoot.appendingPathComponent("policies/\(name)").path
    }
}

/// Reading what a run wrote.
public enum Output {
    /// The non-empty lines of a text file.
    public static func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Each line of a JSONL file as a dictionary.
    public static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        try lines(url).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
    }

    /// A JSON file as a dictionary.
    public static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }
}
