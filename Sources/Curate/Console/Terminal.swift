import Detect
import Foundation

/// Human output on stderr: progress on a TTY only, summaries and warnings unless quiet. Stdout stays for results.
public final class Terminal: @unchecked Sendable {
    // Mutable state is touched only under `lock`.
    private let lock = NSLock()
    private let quiet: Bool
    private let isTTY: Bool
    private var progressStart: Date?
    private var lastDraw = Date.distantPast
    private var lineVisible = false

    public init(quiet: Bool) {
        self.quiet = quiet
        self.isTTY = isatty(STDERR_FILENO) == 1
    }

    /// A line of information (suppressed by --quiet).
    public func info(_ message: String) {
        guard !quiet else { return }
        write(message + "\n")
    }

    /// A warning, shown even with --quiet.
    public func warn(_ message: String) {
        write("warning: " + message + "\n")
    }

    /// Problems found in the input: the first few in full, then a count per kind.
    /// - Parameter listing: the file that names every problem with its place (`problems.jsonl`), if the run
    ///   writes one; the summary line points to it.
    public func reportProblems(_ problems: [InputProblem], shown: Int = 10, listing: String? = nil) {
        guard !problems.isEmpty, !quiet else { return }
        for problem in problems.prefix(shown) { write("warning: \(TerminalText.inert("\(problem)"))\n") }
        if problems.count > shown {
            let counts = problems.reduce(into: [String: Int]()) { $0[$1.kind.rawValue, default: 0] += 1 }
            let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            // scan and stats write no folder: point to the command that lists them all.
            let whereListed =
                listing.map { "each with its file and line in \(TerminalText.inert($0))" }
                ?? "curate audit … --out DIR lists each one in DIR/problems.jsonl"
            write("warning: \(problems.count - shown) more problems (all: \(summary)); \(whereListed)\n")
        }
    }

    /// Redraws a progress line for `stage` with rate and, when the total is known, an ETA. TTY only, at most 10 Hz.
    public func progress(_ stage: String, done: Int, total: Int? = nil) {
        guard isTTY, !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if progressStart == nil { progressStart = now }
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(progressStart!), 1e-3)
        let rate = Double(done) / elapsed
        var line = "\(stage): \(done)"
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let filled = Int(fraction * 24)
            line += "/\(total) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "]"
            if rate > 0 { line += String(format: " ETA %.0fs", Double(total - done) / rate) }
        }
        line += String(format: " %.0f/s", rate)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        lineVisible = true
    }

    /// Shows that a stage without countable steps is running (TTY only); `endProgress` clears it.
    public func begin(_ stage: String) {
        guard isTTY, !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        progressStart = Date()
        FileHandle.standardError.write(Data(("\r\u{1B}[K\(stage)…").utf8))
        lineVisible = true
    }

    /// Clears the progress line at the end of a stage.
    public func endProgress() {
        lock.lock()
        defer { lock.unlock() }
        progressStart = nil
        lastDraw = .distantPast
        if lineVisible {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            lineVisible = false
        }
    }

    private func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if lineVisible {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            lineVisible = false
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
