/// Why an output folder could not be read into a report.
public struct ReportLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, relative to the output folder, or the folder itself.
    public var file: String
    /// 1-based line for JSONL files.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
