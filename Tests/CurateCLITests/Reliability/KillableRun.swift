import CurateTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the `curate` binary and kills it with SIGKILL after a delay: a power cut or an OOM kill, as the
/// program sees it (no signal handler, no cleanup, no flush).
enum KillableRun {
    /// How one run ended.
    struct Outcome {
        /// True when the process was still running at the deadline and was killed.
        var killed: Bool
        /// The exit status when it finished by itself.
        var status: Int32
        /// Wall-clock seconds from start to exit or kill.
        var seconds: Double
        /// What it wrote on stdout and stderr.
        var output: String
    }

    /// Starts `curate arguments`, waits `delay` seconds, then sends SIGKILL unless it has already exited.
    static func run(_ arguments: [String], killAfter delay: Double) throws -> Outcome {
        try run(arguments, killWhen: { elapsed in elapsed >= delay })
    }

    /// Starts `curate arguments` and sends SIGKILL as soon as `condition(elapsedSeconds)` holds (polled every
    /// 2 ms), unless it has already exited.
    static func run(_ arguments: [String], killWhen condition: (Double) -> Bool) throws -> Outcome {
        let process = Process()
        process.executableURL = CurateBinary.url
        process.arguments = arguments
        // Real files, not FileHandle.nullDevice: output goes to a log the test can show when a round fails.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("curate-kill-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer {
            try? logHandle.close()
            try? FileManager.default.removeItem(at: log)
        }
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = logHandle
        process.standardError = logHandle
        let start = Date()
        try process.run()
        while process.isRunning, !condition(Date().timeIntervalSince(start)) { usleep(2_000) }
        var killed = false
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            killed = true
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal, process.terminationStatus != SIGKILL { killed = false }
        return Outcome(
            killed: killed && process.terminationReason == .uncaughtSignal, status: process.terminationStatus,
            seconds: Date().timeIntervalSince(start),
            output: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}

